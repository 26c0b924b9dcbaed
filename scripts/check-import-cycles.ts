/**
 * Dev check: lists file-level import circles and folder-level cycles among the subfolders of protocols/.
 * Run: scripts/with-node-22.sh node --import tsx scripts/check-import-cycles.ts [folders...]
 * Every static `import`/`export ... from` of a relative `.js` specifier counts, type-only ones too
 * (they still tie the files together for a reader). Exits 1 when it finds a circle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const folders = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['protocols', 'provisioning', 'reporting', 'cli', 'bench', 'examples', 'coordinator', 'participant', 'test'];

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

const specifierPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/g;
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(specifierPattern)) {
    const specifier = match[1] as string;
    targets.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
  }
  return targets;
}

const files = folders.flatMap((folder) => sourceFiles(join(root, folder)));
const graph = new Map<string, string[]>();
for (const file of files) graph.set(file, importsOf(file).filter((target) => target !== file));

/** Tarjan's strongly connected components: every component with more than one file is a circle. */
function circles(edges: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowLinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    lowLinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node) as number, lowLinks.get(next) as number));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node) as number, indices.get(next) as number));
      }
    }
    if (lowLinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component);
    }
  };
  for (const node of edges.keys()) if (!indices.has(node)) visit(node);
  return components;
}

const fileCircles = circles(graph);
for (const circle of fileCircles) console.log(`file circle: ${circle.map((file) => relative(root, file)).join(' <-> ')}`);

/** protocols/<folder> (or protocols itself for its top-level files). */
function protocolsFolder(file: string): string | undefined {
  const path = relative(join(root, 'protocols'), file);
  if (path.startsWith('..')) return undefined;
  const parts = path.split('/');
  return parts.length > 1 ? (parts[0] as string) : '(top)';
}
const folderEdges = new Map<string, Set<string>>();
for (const [file, targets] of graph) {
  const from = protocolsFolder(file);
  if (from === undefined || file.endsWith('.test.ts')) continue;
  for (const target of targets) {
    const to = protocolsFolder(target);
    if (to === undefined || to === from || to === '(top)') continue;
    if (!folderEdges.has(from)) folderEdges.set(from, new Set());
    folderEdges.get(from)?.add(to);
  }
}
console.log('protocols/ folder edges (non-test files; protocols/*.ts omitted as a target):');
for (const [from, targets] of [...folderEdges].sort()) console.log(`  ${from} -> ${[...targets].sort().join(', ')}`);
const folderCircles = circles(new Map([...folderEdges].map(([from, targets]) => [from, [...targets]])));
for (const circle of folderCircles) console.log(`folder cycle: ${circle.join(' <-> ')}`);
if (fileCircles.length === 0 && folderCircles.length === 0) console.log('no circles');
process.exitCode = fileCircles.length > 0 || folderCircles.length > 0 ? 1 : 0;
