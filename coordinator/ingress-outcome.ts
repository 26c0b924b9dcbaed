/**
 * What the coordinator's ingress ledger learns about one received message once its fate is known:
 * who sent it (the certificate's participant under mutual TLS, else only the id it claims), and
 * whether it was refused. Spoofed and refused messages never count as "arrived from" anyone else.
 */
export interface IngressOutcome {
  /** The participant the client certificate proves; without mutual TLS, the id the message claims. */
  readonly sender: string | undefined;
  /** Whether `sender` comes from a verified client certificate. */
  readonly authenticated: boolean;
  /** The id the message named, when it is not `sender`. */
  readonly claimed?: string;
  /** Why the coordinator refused the message; absent when it was accepted. */
  readonly refused?: string;
}

/** Told a received message's fate (written into the ingress ledger then). */
export type IngressRecorder = (outcome: IngressOutcome) => void;

/** The caller as mutual TLS proves it: a participant, a refusal, or `undefined` for plain transport. */
export type CallerIdentity = { readonly nodeId: string } | { readonly refused: string } | undefined;

/** The message's own `participantId` field when it is a plausible id (at most 63 characters). */
export function claimedParticipant(decoded: object): string | undefined {
  const raw = (decoded as { participantId?: unknown }).participantId;
  return typeof raw === 'string' && raw.length > 0 && raw.length <= 63 ? raw : undefined;
}

export function ingressOutcome(claimed: string | undefined, identity: CallerIdentity, refused: string | undefined): IngressOutcome {
  if (!identity) return { sender: claimed, authenticated: false, ...(refused !== undefined ? { refused } : {}) };
  if ('refused' in identity) return { sender: undefined, authenticated: false, ...(claimed ? { claimed } : {}), refused: refused ?? identity.refused };
  const spoofed = claimed !== undefined && claimed !== identity.nodeId;
  const reason = refused ?? (spoofed ? `the message names participant "${claimed}", but the client certificate is "${identity.nodeId}"` : undefined);
  return { sender: identity.nodeId, authenticated: true, ...(spoofed ? { claimed } : {}), ...(reason !== undefined ? { refused: reason } : {}) };
}

/** Records a message once its fate is known: `refused` is the reason, or undefined when accepted. */
export type SettleIngress = (identity: CallerIdentity, refused?: string) => void;

/**
 * Messages received (deserialized) whose fate the handlers have not decided yet, keyed by the decoded
 * object grpc-js hands the handler. What is still open at shutdown is recorded as refused.
 */
export class PendingIngress {
  private readonly byMessage = new WeakMap<object, IngressRecorder>();
  private readonly open = new Map<IngressRecorder, string | undefined>();

  hold(decoded: object, recorder: IngressRecorder): void {
    this.byMessage.set(decoded, recorder);
    this.open.set(recorder, claimedParticipant(decoded));
  }

  /** The recorder for one received message (keeps only its claimed id, not its bytes); later calls do nothing. */
  take(decoded: object): SettleIngress {
    const recorder = this.byMessage.get(decoded);
    if (!recorder) return () => undefined;
    this.byMessage.delete(decoded);
    const claimed = claimedParticipant(decoded);
    return (identity, refused) => {
      if (!this.open.delete(recorder)) return;
      recorder(ingressOutcome(claimed, identity, refused));
    };
  }

  /** Records every message still undecided as refused, under no sender (none was proven for it). */
  flush(reason: string): void {
    for (const [recorder, claimed] of [...this.open]) {
      this.open.delete(recorder);
      recorder(ingressOutcome(claimed, { refused: reason }, reason));
    }
  }
}
