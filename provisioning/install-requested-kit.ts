import { copyFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../protocols/errors.js';
import { KIT_FILES } from '../protocols/trust/federation-manifest.js';
import { loadStartupKit, type StartupKit } from '../protocols/trust/load-startup-kit.js';

const RECEIVED_FILES = [KIT_FILES.certificate, KIT_FILES.ca, KIT_FILES.manifest, KIT_FILES.signature] as const;

/**
 * `hefl provision install`: puts the certificate, CA and signed manifest the operator returned for a
 * node's request into the node's own kit folder, beside the key it made (`hefl provision request`), and
 * checks the result as a node would load it (certificate matches the key, issued by the CA, listed in
 * the manifest, not revoked). On any failure the folder is left as it was.
 */
export async function installRequestedKit(receivedFolder: string, kitFolder: string): Promise<StartupKit> {
  const received = await readdir(receivedFolder).catch((cause: unknown) => {
    throw new ConfigError(`${receivedFolder} cannot be read (the folder the operator returned for this node)`, { cause });
  });
  if (received.includes(KIT_FILES.key)) {
    throw new ConfigError(`${receivedFolder} holds a node.key: that kit was provisioned centrally; use it as it is instead of installing it`);
  }
  for (const name of RECEIVED_FILES) {
    if (!received.includes(name)) throw new ConfigError(`${receivedFolder} has no ${name}; ask the operator for the whole kit folder of this node`);
  }
  const own = await readdir(kitFolder).catch((cause: unknown) => {
    throw new ConfigError(`${kitFolder} cannot be read (the folder where \`hefl provision request\` wrote this node's key)`, { cause });
  });
  if (!own.includes(KIT_FILES.key)) throw new ConfigError(`${kitFolder} has no node.key; run \`hefl provision request\` there first`);
  const replaced = RECEIVED_FILES.filter((name) => own.includes(name));
  if (replaced.length > 0) throw new ConfigError(`${kitFolder} already holds ${replaced.join(', ')}; install into the folder of a fresh request`);
  for (const name of RECEIVED_FILES) await copyFile(join(receivedFolder, name), join(kitFolder, name));
  try {
    return await loadStartupKit(kitFolder);
  } catch (error) {
    for (const name of RECEIVED_FILES) await rm(join(kitFolder, name), { force: true });
    throw error;
  }
}
