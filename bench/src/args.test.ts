import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseRunArgs } from './args.ts';

describe('parseRunArgs', () => {
  it('gives the defaults with no arguments', () => {
    expect(parseRunArgs([])).toEqual({
      only: [],
      duration: undefined,
      rate: DEFAULTS.rate,
      connections: DEFAULTS.connections,
      lanes: DEFAULTS.lanes,
      warmup: DEFAULTS.warmup,
      targetLog: undefined,
      list: false,
      help: false,
    });
  });

  it.each([
    [['--only', 'kit-overhead'], ['kit-overhead']],
    [
      ['--only', 'a,b'],
      ['a', 'b'],
    ],
    [
      ['--only', 'a', '--only', 'b,a'],
      ['a', 'b'],
    ],
    [
      ['--only', ' a , ,b '],
      ['a', 'b'],
    ],
  ])('selects scenarios from %j', (argv, only) => {
    expect(parseRunArgs(argv).only).toEqual(only);
  });

  it('reads numbers and paths', () => {
    const o = parseRunArgs(['--duration', '10', '--rate', '2000', '--connections', '64', '--target-log', '/tmp/x']);
    expect(o).toMatchObject({ duration: 10, rate: 2000, connections: 64, targetLog: '/tmp/x' });
  });

  it.each([
    [['--duration', '0'], /--duration must be an integer from 1 to 300/],
    [['--duration', '301'], /--duration/],
    [['--rate', '1.5'], /--rate/],
    [['--rate', 'fast'], /--rate/],
    [['--connections', '5000'], /--connections/],
    [['--lanes', '0'], /--lanes/],
    [['--warmup', '-1'], /--warmup/],
    [['--bogus'], /Unknown option/],
    [['kit-overhead'], /positional/],
  ])('rejects %j', (argv, error) => {
    expect(() => parseRunArgs(argv)).toThrow(error);
  });
});
