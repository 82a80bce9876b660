/** True when the text has a C0 control character, DEL, or (unless allowed) a space. */
export function hasControlCharacters(text: string, allowSpace = false): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || (code === 0x20 && !allowSpace)) return true;
  }
  return false;
}
