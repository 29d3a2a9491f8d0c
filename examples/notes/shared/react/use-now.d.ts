/** The current time, updated every `everyMs` (for "3 min ago" labels). */
export declare function useNow(everyMs?: number): number;
