import { describe, expect, it } from 'vitest';
import { createCircuit } from './circuit.ts';

describe('circuit', () => {
  const setup = () => {
    let t = 0;
    const circuit = createCircuit({ failures: 3, openMs: 1_000, now: () => t });
    return { circuit, advance: (ms: number) => (t += ms) };
  };

  it('opens after consecutive failures only', () => {
    const { circuit } = setup();
    circuit.failure();
    circuit.failure();
    circuit.success();
    circuit.failure();
    circuit.failure();
    expect(circuit.state).toBe('closed');
    circuit.failure();
    expect(circuit.state).toBe('open');
    expect(circuit.allow()).toBe(false);
  });

  it('lets exactly one trial through after the open time; its outcome decides', () => {
    const { circuit, advance } = setup();
    for (let i = 0; i < 3; i++) circuit.failure();
    advance(400);
    expect(circuit.retryInMs()).toBe(600);
    advance(600);
    expect(circuit.state).toBe('half-open');
    expect(circuit.allow()).toBe(true);
    expect(circuit.allow()).toBe(false);
    circuit.failure();
    expect(circuit.state).toBe('open');
    advance(1_000);
    expect(circuit.allow()).toBe(true);
    circuit.success();
    expect(circuit.state).toBe('closed');
    expect(circuit.allow()).toBe(true);
  });
});
