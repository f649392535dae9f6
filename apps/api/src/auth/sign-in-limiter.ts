import { Injectable } from '@nestjs/common';

const WINDOW_MS = 15 * 60_000;
/** Failed sign-ins allowed per email, and per client address, in a window. */
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

interface Window {
  start: number;
  failures: number;
}

/**
 * Slows password guessing: after too many failures for one email or from one address, sign-in
 * answers 429 until the window ends. In memory, per process: enough for the single API process
 * most installs run (behind several API processes the limit applies per process).
 */
@Injectable()
export class SignInLimiter {
  private readonly windows = new Map<string, Window>();

  /** Seconds to wait, or 0 when this email/address may try now. */
  retryAfter(email: string, address: string, now = Date.now()): number {
    const limits: Array<[string, number]> = [
      [`email:${email}`, MAX_FAILURES_PER_EMAIL],
      [`address:${address}`, MAX_FAILURES_PER_ADDRESS],
    ];
    let wait = 0;
    for (const [key, max] of limits) {
      const window = this.current(key, now);
      if (window && window.failures >= max) {
        wait = Math.max(wait, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      }
    }
    return wait;
  }

  recordFailure(email: string, address: string, now = Date.now()): void {
    for (const key of [`email:${email}`, `address:${address}`]) {
      const window = this.current(key, now) ?? { start: now, failures: 0 };
      window.failures += 1;
      this.windows.set(key, window);
    }
    if (this.windows.size > 10_000) this.prune(now);
  }

  recordSuccess(email: string): void {
    this.windows.delete(`email:${email}`);
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now - window.start >= WINDOW_MS) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= WINDOW_MS) this.windows.delete(key);
    }
  }
}
