import { readFileSync, writeFileSync } from 'node:fs';

export interface ProcMemory {
  rssKiB: number;
  hwmKiB: number;
}

export function readMemory(pid: number): ProcMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) : 0;
    };
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Resets VmHWM to the current RSS (Linux `clear_refs` 5). False where that is not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU time (user + system) the process used so far, in seconds; undefined once it is gone. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": state is the first, utime the 12th, stime the 13th.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine, from the first line of /proc/stat. */
export function readMachineCpu(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((sum, value) => sum + value, 0);
    const idle = values[3] + values[4]; // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux that matters (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

export const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;

interface Tracked {
  pid: number;
  polledKiB: number;
  hwmResettable: boolean;
  lifetimeKiB: number;
}

/**
 * Peak resident memory per process, per phase: VmRSS polled every 100 ms, plus VmHWM (which also
 * catches spikes between polls) reset at the start of each phase where the kernel allows it.
 */
export class PeakMemory {
  private readonly tracked = new Map<string, Tracked>();
  private timer?: NodeJS.Timeout;

  track(name: string, pid: number): void {
    // The start-up peak counts for the lifetime figure; phases start from a reset.
    const startup = readMemory(pid)?.hwmKiB ?? 0;
    const hwmResettable = resetPeak(pid);
    this.tracked.set(name, { pid, polledKiB: 0, hwmResettable, lifetimeKiB: startup });
    if (!this.timer) {
      this.timer = setInterval(() => this.poll(), 100);
      this.timer.unref();
    }
  }

  /** Stop sampling a process (after it exited); its lifetime peak stays readable. */
  untrack(name: string): void {
    const entry = this.tracked.get(name);
    if (entry) this.sample(entry);
    this.tracked.delete(name);
    if (this.tracked.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** Starts a new phase: peaks restart from the current RSS. */
  beginPhase(): void {
    for (const entry of this.tracked.values()) {
      entry.hwmResettable = resetPeak(entry.pid);
      entry.polledKiB = readMemory(entry.pid)?.rssKiB ?? 0;
    }
  }

  /** Peak RSS (MiB) of every tracked process since the phase began. */
  phasePeaks(): Record<string, number> {
    const peaks: Record<string, number> = {};
    for (const [name, entry] of this.tracked) peaks[name] = mib(this.sample(entry));
    return peaks;
  }

  currentRssKiB(name: string): number {
    const entry = this.tracked.get(name);
    return entry ? (readMemory(entry.pid)?.rssKiB ?? 0) : 0;
  }

  /** The peak since the process started (or since tracking began, if VmHWM could be reset). */
  lifetimePeaks(): Record<string, number> {
    const peaks: Record<string, number> = {};
    for (const [name, entry] of this.tracked) {
      this.sample(entry);
      peaks[name] = mib(entry.lifetimeKiB);
    }
    return peaks;
  }

  lifetimePeakMiB(name: string): number {
    const entry = this.tracked.get(name);
    if (!entry) return 0;
    this.sample(entry);
    return mib(entry.lifetimeKiB);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    for (const entry of this.tracked.values()) this.sample(entry);
  }

  private sample(entry: Tracked): number {
    const memory = readMemory(entry.pid);
    if (memory) {
      entry.polledKiB = Math.max(entry.polledKiB, memory.rssKiB);
      if (entry.hwmResettable) entry.polledKiB = Math.max(entry.polledKiB, memory.hwmKiB);
      entry.lifetimeKiB = Math.max(entry.lifetimeKiB, memory.hwmKiB, entry.polledKiB);
    }
    return entry.polledKiB;
  }
}
