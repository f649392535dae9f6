import { MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_EMAIL, SignInLimiter } from './sign-in-limiter';

describe('sign-in limiter', () => {
  const start = 1_000_000;

  it('blocks an email after its failures until the window ends; success resets it', () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i += 1) {
      expect(limiter.retryAfter('a@x', '1.1.1.1', start)).toBe(0);
      limiter.recordFailure('a@x', '1.1.1.1', start);
    }
    expect(limiter.retryAfter('a@x', '2.2.2.2', start + 1000)).toBe(15 * 60 - 1);
    expect(limiter.retryAfter('b@x', '1.1.1.1', start)).toBe(0);
    expect(limiter.retryAfter('a@x', '1.1.1.1', start + 15 * 60_000)).toBe(0);

    limiter.recordFailure('c@x', '3.3.3.3', start);
    limiter.recordSuccess('c@x');
    expect(limiter.retryAfter('c@x', '9.9.9.9', start)).toBe(0);
  });

  it('blocks an address that guesses across many emails', () => {
    const limiter = new SignInLimiter();
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i += 1) {
      limiter.recordFailure(`user${i}@x`, '4.4.4.4', start);
    }
    expect(limiter.retryAfter('fresh@x', '4.4.4.4', start)).toBeGreaterThan(0);
    expect(limiter.retryAfter('fresh@x', '5.5.5.5', start)).toBe(0);
  });
});
