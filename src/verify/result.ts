/** Why a webhook was refused before anything was stored. The handler maps each to one status. */
export type RejectReason = 'missing_signature' | 'invalid_signature' | 'malformed_json';

/** Verification returns a result instead of throwing, so one place turns reasons into statuses. */
export type VerifyResult<T> = { ok: true; value: T } | { ok: false; reason: RejectReason; message: string };

export const rejected = (reason: RejectReason, message: string): VerifyResult<never> => ({ ok: false, reason, message });
