/** Memory figures from `/proc/<pid>/status`, in kB as the kernel prints them. */
export interface MemoryStatus {
  /** Resident set size now. */
  readonly rssKb: number | undefined;
  /** High-water mark of the resident set over the process's life. */
  readonly hwmKb: number | undefined;
}

function field(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export function parseProcStatus(text: string): MemoryStatus {
  return { rssKb: field(text, 'VmRSS'), hwmKb: field(text, 'VmHWM') };
}

/**
 * User plus system CPU in clock ticks from `/proc/<pid>/stat`. The command name (field 2) may hold
 * spaces and parentheses, so fields are counted from the last ')'.
 */
export function parseProcStatTicks(text: string): number | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ')' come field 3 (state) onwards; utime and stime are fields 14 and 15.
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : undefined;
}
