// The run's clock and its log lines ("[bench +12s] ..."), shared by every part of the driver.
export const startedAt = Date.now();

export const log = (text) =>
  process.stdout.write(`[bench +${((Date.now() - startedAt) / 1000).toFixed(0)}s] ${text}\n`);
