// Where a key sits along the key space, from 0 to 1, for drawing SSTables by key range. Keys share long
// prefixes ("user:0123"), so positions are measured after the prefix that the smallest and largest keys share.

/** A mapper from hex keys to [0, 1], spanning `smallest` .. `largest` (hex strings). */
export function keySpace(smallest: string, largest: string): (key: string) => number {
  let prefix = 0;
  while (prefix < smallest.length && prefix < largest.length && smallest[prefix] === largest[prefix]) prefix++;
  prefix -= prefix % 2;
  const value = (key: string) => {
    const digits = key.slice(prefix, prefix + 12).padEnd(12, '0');
    return Number.parseInt(digits, 16);
  };
  const low = value(smallest);
  const high = value(largest);
  return (key) => (high === low ? 0.5 : Math.min(1, Math.max(0, (value(key) - low) / (high - low))));
}
