import { describe, expect, it } from 'vitest';
import { addChecksums, hash32, putChecksum, removeChecksum, toSigned } from './checksum.js';

// Test vectors from the protocol spec §3.5 (asserted in the official service's tests).
describe('checksums', () => {
  it('matches the PUT vectors', () => {
    expect(putChecksum('test', 'test1', '{"id":"test1","description":"test1"}')).toBe(2871785649);
    expect(putChecksum('test', 'test2', '{"id":"test2","description":"test2"}')).toBe(730027011);
    expect(putChecksum('test', 't1', '{"id":"t1","description":"Test 1"}')).toBe(920318466);
    expect(putChecksum('test', 't2', '{"id":"t2","description":"Test 2"}')).toBe(3280762209);
    expect(putChecksum('lists', 'list1', '{"id":"list1","user_id":"user1","name":"User 1"}')).toBe(
      1418351250,
    );
  });

  it('matches the bucket sum vector and its signed wire form', () => {
    const sum = addChecksums(920318466, 3280762209);
    expect(sum).toBe(4201080675);
    expect(toSigned(sum)).toBe(-93886621);
  });

  it('matches the REMOVE and CLEAR vectors', () => {
    const remove = removeChecksum('6544e3899293153fa7b38331/117ab485-4b42-58a2-ab32-0053a22c3423');
    expect(remove).toBe(4228978084);
    const clear = [2634521662, remove, 4243212114].reduce(addChecksums, 0);
    expect(toSigned(clear)).toBe(-1778190028);
    expect(hash32('put.test.t1.{"id":"t1"}')).toBe(2634521662);
  });
});
