/** Next's searchParams object back as URLSearchParams, repeated keys and order kept. */
export function toUrlSearchParams(params: Record<string, string | string[] | undefined>): URLSearchParams {
  const result = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) result.append(key, item);
  }
  return result;
}
