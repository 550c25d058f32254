// Shared values for the auth tests (not itself a test file).
export const TOKEN = 'T'.repeat(43);
export const CHALLENGE = 'ch_'.padEnd(43, 'x');
