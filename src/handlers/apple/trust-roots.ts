import { base64ToBytes } from '../crypto.js';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { APPLE_ROOT_CA_G3 } from './root-certificates.js';

/** Reads a file's bytes; injectable so tests need no file system. */
export type ReadBytes = (path: string) => Uint8Array<ArrayBuffer>;

/**
 * Reads a file on Node. `node:fs` is looked up when called rather than imported, so the Workers
 * bundle (no file system, no nodejs_compat) never pulls it in; there, give inline PEM instead.
 */
function readFileBytes(path: string): Uint8Array<ArrayBuffer> {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new Error('this runtime has no file system; give the certificate as inline PEM text');
  return new Uint8Array(fs.readFileSync(path));
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/**
 * The trusted roots for App Store chains, built once at start: `APPLE_ROOT_CERTS` (comma-separated;
 * each entry a PEM or DER file path, or inline PEM text) or, when unset, the shipped Apple Root
 * CA - G3. Throws `invalid configuration: APPLE_ROOT_CERTS: …` naming the entry that is unreadable.
 */
export function loadTrustedRoots(setting: string | undefined, readBytes: ReadBytes = readFileBytes): ParsedCertificate[] {
  if (setting === undefined || setting.trim() === '') return [parseCertificate(base64ToBytes(APPLE_ROOT_CA_G3)!)];
  const entries = setting
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw invalid('names no certificate');

  const roots: ParsedCertificate[] = [];
  entries.forEach((entry, index) => {
    const inline = entry.includes('-----BEGIN');
    const label = inline ? `entry ${index + 1} (inline PEM)` : entry;
    try {
      for (const der of certificatesIn(inline ? entry : readEntry(entry, readBytes))) roots.push(parseCertificate(der));
    } catch (error) {
      throw invalid(`${label}: ${(error as Error).message}`);
    }
  });
  return roots;
}

/** A file's content: PEM text when it has PEM markers, else the DER bytes themselves. */
function readEntry(path: string, readBytes: ReadBytes): string | Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = readBytes(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(code ? `cannot read the file (${code})` : (error as Error).message);
  }
  const text = new TextDecoder().decode(bytes);
  return text.includes('-----BEGIN') ? text : bytes;
}

/** The DER certificates in PEM text (one or more blocks) or a DER file. */
function certificatesIn(content: string | Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer>[] {
  if (typeof content !== 'string') return [content];
  // An env value may carry the PEM's line breaks as literal `\n`.
  const text = content.replace(/\\n/g, '\n');
  const blocks = [...text.matchAll(PEM_BLOCK)].map((match) => base64ToBytes(match[1]!.replace(/\s+/g, '')));
  if (blocks.length === 0) throw new Error('no "-----BEGIN CERTIFICATE-----" block');
  if (blocks.some((der) => der === null)) throw new Error('a PEM block is not base64');
  return blocks as Uint8Array<ArrayBuffer>[];
}

const invalid = (detail: string) => new Error(`invalid configuration: APPLE_ROOT_CERTS: ${detail}`);
