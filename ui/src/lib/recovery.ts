// Making the user type part of the recovery key back proves it was written down.

/** Two different groups (1-based) to ask for, chosen at random. */
export function groupsToConfirm(groupCount: number, random: () => number = Math.random): [number, number] {
  const first = 1 + Math.floor(random() * groupCount);
  let second = 1 + Math.floor(random() * (groupCount - 1));
  if (second >= first) second += 1;
  return first < second ? [first, second] : [second, first];
}

/** Whether `typed` is group `n` of `key`, forgiving case, spaces and Crockford look-alikes. */
export function groupMatches(key: string, n: number, typed: string): boolean {
  const group = key.split('-')[n - 1];
  if (!group) return false;
  const norm = (s: string) =>
    s.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return norm(typed) === norm(group);
}
