/**
 * Entity tags computed from content, for the filesystem store and for the
 * API's JSON responses.
 *
 * @module
 */

/** Returns a strong, quoted entity tag: the first 128 bits of SHA-256, hex. */
export async function etagOf(body: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    body as Uint8Array<ArrayBuffer>,
  );
  const hex = Array.from(
    new Uint8Array(digest, 0, 16),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
  return `"${hex}"`;
}
