/** What every verifier sees of a delivery. */
export interface SignedRequest {
  method: string;
  /**
   * The full public URL the sender posted to, query string included, as built from
   * HOOKFLOW_PUBLIC_URL (not from the Host header, which a proxy may have rewritten).
   */
  url: string;
  /** Header values by lower-case name. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received: every HMAC scheme signs these bytes, never a re-serialisation. */
  rawBody: Buffer;
  /** Decoded form fields, when the caller has them; Twilio parses `rawBody` otherwise. */
  form?: Readonly<Record<string, string | readonly string[]>>;
}

/** A failure reason helps the trigger's owner and never contains an expected signature. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Secrets that are accepted right now; during a rotation the old and the new one both pass. */
export type ActiveSecrets = readonly string[];

/** How far a signed timestamp may be from our clock, both ways, unless configured. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const VERIFIED: VerifyResult = Object.freeze({ ok: true });

export function refused(reason: string): VerifyResult {
  return { ok: false, reason };
}
