// The SRP client computations, for fixed inputs, against two independent implementations: AWS's own
// amazon-cognito-identity-js (AuthenticationHelper, a dev dependency only) and the formulas written
// out below with native BigInt and node:crypto's RFC 5869 HKDF. A server that knows only the
// password verifier must arrive at the same S, which shows the proof would be accepted.
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { beginSrp, passwordVerifierResponses, srpA, type SrpSession } from './srp';

// RFC 5054's 3072-bit group, the one Cognito uses (generator 2).
const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** Java BigInteger.toByteArray() as hex: even length, a 00 byte when the top bit is set (Cognito's convention). */
function padHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}
const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const hashHex = (hex: string): bigint => BigInt(`0x${sha256(Buffer.from(hex, 'hex')).toString('hex')}`);

interface Inputs {
  userPoolId: string;
  userIdForSrp: string;
  password: string;
  saltHex: string;
  /** The server's secret exponent: B is computed from it as a real server would. */
  b: bigint;
  secretBlock: string;
  timestamp: string;
}

/** The client side, from the formulas. */
function fromFormulas(input: Inputs, a: bigint, B: bigint) {
  const poolName = input.userPoolId.split('_')[1] ?? '';
  const A = modPow(g, a, N);
  const k = hashHex(padHex(N) + padHex(g));
  const u = hashHex(padHex(A) + padHex(B));
  const x = hashHex(padHex(BigInt(`0x${input.saltHex}`)) + sha256(`${poolName}${input.userIdForSrp}:${input.password}`).toString('hex'));
  const S = modPow((((B - k * modPow(g, x, N)) % N) + N) % N, a + u * x, N);
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16));
  const message = Buffer.concat([Buffer.from(poolName), Buffer.from(input.userIdForSrp), Buffer.from(input.secretBlock, 'base64'), Buffer.from(input.timestamp)]);
  return { A, u, x, k, S, key, signature: createHmac('sha256', key).update(message).digest('base64') };
}

/** What a Cognito-like server that stores only the verifier g^x computes. */
function serverSide(input: Inputs, x: bigint, k: bigint) {
  const v = modPow(g, x, N);
  const B = (k * v + modPow(g, input.b, N)) % N;
  return { B, S: (A: bigint, u: bigint) => modPow(A * modPow(v, u, N), input.b, N) };
}

interface AwsBigInteger {
  toString(radix: number): string;
}
interface AwsHelper {
  smallAValue: AwsBigInteger;
  largeAValue: AwsBigInteger | undefined;
  UValue: AwsBigInteger;
  getLargeAValue(callback: (error: unknown, value: AwsBigInteger) => void): void;
  getPasswordAuthenticationKey(user: string, password: string, B: AwsBigInteger, salt: AwsBigInteger, callback: (error: unknown, key: Uint8Array) => void): void;
  calculateS(x: AwsBigInteger, B: AwsBigInteger, callback: (error: unknown, S: AwsBigInteger) => void): void;
  hash(value: string): string;
  hexHash(hex: string): string;
  padHex(value: AwsBigInteger): string;
}
const require = createRequire(import.meta.url);
const AuthenticationHelper = (require('amazon-cognito-identity-js/lib/AuthenticationHelper') as { default: new (poolName: string) => AwsHelper }).default;
const AwsBig = (require('amazon-cognito-identity-js/lib/BigInteger') as { default: new (hex: string, radix: number) => AwsBigInteger }).default;

function sync<T>(call: (callback: (error: unknown, value: T) => void) => void): T {
  let result: { value: T } | undefined;
  call((error, value) => {
    if (error) throw error;
    result = { value };
  });
  if (!result) throw new Error('the AWS helper did not answer synchronously');
  return result.value;
}

/** The client side, by AWS's own helper. */
function fromAwsHelper(input: Inputs, aHex: string, B: bigint) {
  const helper = new AuthenticationHelper(input.userPoolId.split('_')[1] ?? '');
  helper.smallAValue = new AwsBig(aHex, 16);
  helper.largeAValue = undefined;
  const A = sync<AwsBigInteger>((cb) => helper.getLargeAValue(cb));
  const awsB = new AwsBig(B.toString(16), 16);
  const key = sync<Uint8Array>((cb) => helper.getPasswordAuthenticationKey(input.userIdForSrp, input.password, awsB, new AwsBig(input.saltHex, 16), cb));
  const poolName = input.userPoolId.split('_')[1] ?? '';
  const x = new AwsBig(helper.hexHash(helper.padHex(new AwsBig(input.saltHex, 16)) + helper.hash(`${poolName}${input.userIdForSrp}:${input.password}`)), 16);
  const S = sync<AwsBigInteger>((cb) => helper.calculateS(x, awsB, cb));
  return { A: BigInt(`0x${A.toString(16)}`), u: BigInt(`0x${helper.UValue.toString(16)}`), S: BigInt(`0x${S.toString(16)}`), key: Buffer.from(key) };
}

const cases: Inputs[] = [
  {
    userPoolId: 'eu-central-1_AbCdEf123',
    userIdForSrp: 'ada',
    password: 'Correct-Horse-9!battery',
    saltHex: '9c1f3e2a7b6d5c4e3f2a1b0c9d8e7f60',
    b: 0x3a7be11d5c0f2e49b8a6d4c2e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7n,
    secretBlock: Buffer.from('a server secret block, opaque to the client').toString('base64'),
    timestamp: 'Tue Mar 3 09:05:07 UTC 2026',
  },
  {
    // A salt and user with the top bit set / non-ASCII, so the 00-padding and UTF-8 paths are taken.
    userPoolId: 'us-east-1_Zz9',
    userIdForSrp: 'grâce',
    password: 'Ünïcode-pässwörd-1',
    saltHex: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
    b: 0xfedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210n,
    secretBlock: Buffer.alloc(96, 0xa5).toString('base64'),
    timestamp: 'Sun Dec 31 23:59:59 UTC 2028',
  },
];

function withTimestamp(session: SrpSession, timestamp: string): SrpSession {
  return { ...session, timestamp };
}

describe('SRP sign-in computations (fixed inputs)', () => {
  it.each(cases)('A, u, S, the HKDF key and the signature agree with AWS and the formulas for $userIdForSrp', (input) => {
    const session = withTimestamp(beginSrp(input.userIdForSrp, input.password, input.userPoolId), input.timestamp);
    const a = BigInt(`0x${session.smallA}`);

    // B as a real server computes it from the verifier; the formulas give x and k for that.
    const reference = fromFormulas(input, a, 1n);
    const server = serverSide(input, reference.x, reference.k);
    const formulas = fromFormulas(input, a, server.B);
    const aws = fromAwsHelper(input, session.smallA, server.B);

    expect(BigInt(`0x${srpA(session)}`)).toBe(formulas.A);
    expect(aws.A).toBe(formulas.A);
    expect(aws.u).toBe(formulas.u);
    expect(aws.S).toBe(formulas.S);
    expect(server.S(formulas.A, formulas.u)).toBe(formulas.S); // the server, knowing only g^x, agrees
    expect(aws.key.toString('hex')).toBe(formulas.key.toString('hex'));

    const responses = passwordVerifierResponses(session, {
      SALT: input.saltHex,
      SRP_B: server.B.toString(16),
      SECRET_BLOCK: input.secretBlock,
      USER_ID_FOR_SRP: input.userIdForSrp,
      USERNAME: input.userIdForSrp,
    });
    expect(responses).toEqual({
      USERNAME: input.userIdForSrp,
      PASSWORD_CLAIM_SECRET_BLOCK: input.secretBlock,
      PASSWORD_CLAIM_SIGNATURE: formulas.signature,
      TIMESTAMP: input.timestamp,
    });
  });

  it('gives a different proof for a wrong password', () => {
    const [input] = cases;
    if (!input) throw new Error('no case');
    const session = withTimestamp(beginSrp(input.userIdForSrp, 'Wrong-password-1!', input.userPoolId), input.timestamp);
    const a = BigInt(`0x${session.smallA}`);
    const right = fromFormulas(input, a, 1n);
    const server = serverSide(input, right.x, right.k);
    const parameters = { SALT: input.saltHex, SRP_B: server.B.toString(16), SECRET_BLOCK: input.secretBlock, USER_ID_FOR_SRP: input.userIdForSrp };
    expect(passwordVerifierResponses(session, parameters).PASSWORD_CLAIM_SIGNATURE).not.toBe(fromFormulas(input, a, server.B).signature);
  });

  it('draws a fresh secret a for every sign-in and stamps the time as Cognito expects', () => {
    const first = beginSrp('ada', 'x', 'eu-central-1_AbCdEf123');
    const second = beginSrp('ada', 'x', 'eu-central-1_AbCdEf123');
    expect(first.smallA).not.toBe(second.smallA);
    expect(BigInt(`0x${first.smallA}`) > 2n ** 1000n).toBe(true);
    // "ddd MMM D HH:mm:ss UTC YYYY", day without a leading zero.
    expect(first.timestamp).toMatch(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}$/);
  });

  it('refuses to answer a challenge whose B is 0 mod N or whose salt is missing', () => {
    const session = beginSrp('ada', 'x', 'eu-central-1_AbCdEf123');
    const good = { SALT: 'ab', SRP_B: 'cd', SECRET_BLOCK: 'AAAA', USER_ID_FOR_SRP: 'ada' };
    expect(() => passwordVerifierResponses(session, { ...good, SRP_B: '000' })).toThrow(expect.objectContaining({ code: 'Internal' }));
    expect(() => passwordVerifierResponses(session, { ...good, SRP_B: N.toString(16) })).toThrow(expect.objectContaining({ code: 'Internal' }));
    expect(() => passwordVerifierResponses(session, { ...good, SRP_B: (N * 3n).toString(16) })).toThrow(expect.objectContaining({ code: 'Internal' }));
    expect(() => passwordVerifierResponses(session, { ...good, SALT: '' })).toThrow(expect.objectContaining({ code: 'Internal' }));
  });
});
