/** Request data quoted in an error message, cut short: a 1 MB key must not come back as a 1 MB error. */
export function clip(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
