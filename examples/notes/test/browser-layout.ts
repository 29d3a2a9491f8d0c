/** Layout checks for the browser tests: where an element is, and whether it is on screen in full. */
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

/** Where an element is and what, if anything, hides part of it. */
export interface Placement {
  box: { left: number; top: number; right: number; bottom: number };
  viewport: { width: number; height: number };
  /** Ancestors that clip (overflow other than visible) and cut this element. */
  clippedBy: string[];
  /** The page scrolls sideways. */
  pageOverflowsX: boolean;
}

/** Measures an element in the page (see {@link expectFullyVisible}). */
export async function placement(locator: Locator): Promise<Placement> {
  return locator.evaluate((el) => {
    const b = el.getBoundingClientRect();
    const clippedBy: string[] = [];
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const r = p.getBoundingClientRect();
      const cutX = b.left < r.left - 1 || b.right > r.right + 1;
      // A scrolling list may hold more than fits; only horizontal cuts count for those.
      const cutY = s.overflowY === 'hidden' && (b.top < r.top - 1 || b.bottom > r.bottom + 1);
      if (cutX || cutY) clippedBy.push(`${p.tagName.toLowerCase()}.${p.className}`);
    }
    const root = document.documentElement;
    return {
      box: { left: b.left, top: b.top, right: b.right, bottom: b.bottom },
      viewport: { width: root.clientWidth, height: window.innerHeight },
      clippedBy,
      pageOverflowsX: root.scrollWidth > root.clientWidth + 1,
    };
  });
}

/**
 * Fails unless the element is on screen in full: inside the viewport, not cut by a clipping ancestor, at
 * least `minWidth` wide, and the page does not scroll sideways.
 */
export async function expectFullyVisible(locator: Locator, what: string, minWidth = 1): Promise<void> {
  await locator.waitFor();
  const p = await placement(locator);
  const detail = `${what}: ${JSON.stringify(p)}`;
  expect(p.box.left, detail).toBeGreaterThanOrEqual(-1);
  expect(p.box.top, detail).toBeGreaterThanOrEqual(-1);
  expect(p.box.right, detail).toBeLessThanOrEqual(p.viewport.width + 1);
  expect(p.box.bottom, detail).toBeLessThanOrEqual(p.viewport.height + 1);
  expect(p.box.right - p.box.left, detail).toBeGreaterThanOrEqual(minWidth);
  expect(p.clippedBy, detail).toEqual([]);
  expect(p.pageOverflowsX, detail).toBe(false);
}
