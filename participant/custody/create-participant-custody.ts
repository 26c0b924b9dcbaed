import type { KeyFolderManifest } from '../../protocols/keys/key-folder-manifest.js';
import type { ParticipantNode } from '../participant-options.js';
import { NoCustody } from './no-custody.js';
import type { ParticipantCustody } from './participant-custody.js';
import { SingleKeyCustody } from './single-key-custody.js';
import { ThresholdCustody } from './threshold-custody.js';

/**
 * The custody of this node's key folder (the job must name the same mode: participant/join-job.ts
 * checks it). A new mode is one more file in this folder and one more line here.
 */
export async function createParticipantCustody(mode: KeyFolderManifest['custody'], node: ParticipantNode): Promise<ParticipantCustody> {
  switch (mode) {
    case 'none': return new NoCustody(node);
    case 'single-key': return SingleKeyCustody.create(node);
    case 'threshold': return new ThresholdCustody(node);
  }
}
