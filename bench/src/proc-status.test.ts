import { describe, expect, it } from 'vitest';
import { parseProcStatTicks, parseProcStatus } from './proc-status.ts';

const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
VmPeak:\t 1234567 kB
VmSize:\t 1200000 kB
VmLck:\t       0 kB
VmHWM:\t  151234 kB
VmRSS:\t  149876 kB
RssAnon:\t   90000 kB
Threads:\t11
`;

describe('parseProcStatus', () => {
  it('reads VmRSS and VmHWM, not the fields that share a prefix', () => {
    expect(parseProcStatus(STATUS)).toEqual({ rssKb: 149_876, hwmKb: 151_234 });
  });

  it('leaves out what is missing (a kernel thread, or an exited process)', () => {
    expect(parseProcStatus('Name:\tkthreadd\nState:\tS (sleeping)\n')).toEqual({ rssKb: undefined, hwmKb: undefined });
    expect(parseProcStatus('')).toEqual({ rssKb: undefined, hwmKb: undefined });
  });
});

describe('parseProcStatTicks', () => {
  // Fields 14 and 15 (utime, stime) are 700 and 42.
  const tail = 'S 1 4242 4242 0 -1 4194560 5000 0 0 0 700 42 0 0 20 0 11 0 123456 1200000000 37469';

  it('adds user and system ticks', () => {
    expect(parseProcStatTicks(`4242 (node) ${tail}`)).toBe(742);
  });

  it('counts fields from the last parenthesis, as a command name may hold spaces and ")"', () => {
    expect(parseProcStatTicks(`4242 (my (odd) name) ${tail}`)).toBe(742);
  });

  it('gives undefined for text that is not a stat line', () => {
    expect(parseProcStatTicks('')).toBeUndefined();
    expect(parseProcStatTicks('4242 (node) S 1')).toBeUndefined();
  });
});
