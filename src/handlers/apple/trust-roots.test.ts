import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appleTestPki } from '../../../test/helpers/signers/apple.js';
import { APPLE_ROOT_CA_G3 } from './root-certificates.js';
import { loadTrustedRoots } from './trust-roots.js';

const pki = appleTestPki();
const G3_SHA256 = '63343ABFB89A6A03EBB57E9B3F5FA7BE7C4F5C756F3017B3A8C488C3653E9179';

describe('trusted roots (APPLE_ROOT_CERTS)', () => {
  it("the shipped Apple Root CA - G3 has Apple's published SHA-256 fingerprint", () => {
    const fingerprint = createHash('sha256').update(Buffer.from(APPLE_ROOT_CA_G3, 'base64')).digest('hex').toUpperCase();
    expect(fingerprint).toBe(G3_SHA256);
  });

  it('unset or blank: the shipped Apple Root CA - G3 alone', () => {
    for (const setting of [undefined, '', '  ']) {
      const roots = loadTrustedRoots(setting);
      expect(roots.map((root) => root.subjectText)).toEqual(['CN=Apple Root CA - G3, OU=Apple Certification Authority, O=Apple Inc., C=US']);
      expect(createHash('sha256').update(roots[0]!.der).digest('hex').toUpperCase()).toBe(G3_SHA256);
    }
  });

  it('a PEM file, a DER file and inline PEM (literal \\n as env files write it), comma-separated', () => {
    const derPath = join(pki.rootPath, '..', 'root-copy.der');
    writeFileSync(derPath, Buffer.from(pki.valid.x5c[2]!, 'base64'));
    const inline = pki.rootPem.trim().replace(/\n/g, '\\n');
    const roots = loadTrustedRoots(`${pki.rootPath}, ${derPath},${inline}`);
    expect(roots).toHaveLength(3);
    for (const root of roots) expect(root.subjectText).toBe('C=US, O=dub-bridge tests, OU=Test Certification Authority, CN=Test Root CA - G3');
  });

  it('a file with two PEM blocks adds both', () => {
    const bundle = join(pki.rootPath, '..', 'bundle.pem');
    const g3 = `-----BEGIN CERTIFICATE-----\n${APPLE_ROOT_CA_G3}\n-----END CERTIFICATE-----\n`;
    writeFileSync(bundle, pki.rootPem + g3);
    expect(loadTrustedRoots(bundle)).toHaveLength(2);
  });

  it('an unreadable or unparseable entry fails at start with a message naming it', () => {
    const garbage = join(pki.rootPath, '..', 'garbage.der');
    writeFileSync(garbage, 'not a certificate');
    expect(() => loadTrustedRoots('/nonexistent/apple-root.pem')).toThrow(
      'invalid configuration: APPLE_ROOT_CERTS: /nonexistent/apple-root.pem: cannot read the file (ENOENT)',
    );
    expect(() => loadTrustedRoots(garbage)).toThrow(`invalid configuration: APPLE_ROOT_CERTS: ${garbage}: not a DER X.509 certificate`);
    expect(() => loadTrustedRoots('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(
      'invalid configuration: APPLE_ROOT_CERTS: entry 1 (inline PEM): not a DER X.509 certificate',
    );
    expect(() => loadTrustedRoots(' , ')).toThrow('invalid configuration: APPLE_ROOT_CERTS: names no certificate');
  });

  it('a path on a runtime without a file system (Workers) says to use inline PEM', () => {
    const noFs = () => {
      throw new Error('this runtime has no file system; give the certificate as inline PEM text');
    };
    expect(() => loadTrustedRoots('/etc/apple-root.pem', noFs)).toThrow(
      'invalid configuration: APPLE_ROOT_CERTS: /etc/apple-root.pem: this runtime has no file system; give the certificate as inline PEM text',
    );
  });
});
