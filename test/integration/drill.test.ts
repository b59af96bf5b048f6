import {execFileSync} from 'node:child_process';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runCli} from '../helpers/cli.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerChanges} from '../../source/adapters/docker/docker-changes.js';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import type {DrillChange, DrillTree} from '../../source/domain/drill-model.js';
import {drillContainer} from '../../source/services/drill.js';
import {buildImage} from '../helpers/docker-build.js';
import {busybox, lab, labDocker, runContainer, stoppedContainerRecord} from '../helpers/lab.js';

const image = 'ls-test/drill:1';
const controlBytes = /[\u0000-\u001f\u007f-\u009f]/;

const record = stoppedContainerRecord;

/** The raw path docker reports: Go's JSON turns invalid UTF-8 into U+FFFD, as Buffer#toString does. */
const rawPath = (c: DrillChange) => (c.pathBase64 ? Buffer.from(c.pathBase64, 'base64').toString('utf8') : c.path);
const pairs = (list: Array<{kind: string; path: string}>) => new Set(list.map(c => `${c.kind} ${c.path}`));

describe('drill-down of a writable layer against the private dockerd', () => {
	const docker = labDocker();
	const trees = new Map<string, DrillTree>();
	let changes: DockerChanges;

	const drill = async (name: string, script: string, img = image) => {
		const id = await runContainer(docker, name, script, {wait: true, image: img});
		const tree = await drillContainer(await record(id), {listAdded: true});
		trees.set(name, tree);
		return tree;
	};

	// Every tar the walker starts is logged by a shim first on PATH (the walker resolves tar once, at its first walk).
	const shimDir = mkdtempSync(join(tmpdir(), 'ls-drill-tar-'));
	const tarLog = join(shimDir, 'calls');
	const tarCalls = () => (existsSync(tarLog) ? readFileSync(tarLog, 'utf8').split('\n').filter(Boolean) : []);
	const savedPath = process.env.PATH;
	let manyDirsTars: string[] = [];

	beforeAll(async () => {
		writeFileSync(join(shimDir, 'tar'), `#!/bin/sh\necho "$0" >> ${tarLog}\nexec /usr/bin/tar "$@"\n`, {mode: 0o755});
		process.env.PATH = `${shimDir}:${savedPath}`;
		const {dockerHost} = lab();
		changes = new DockerChanges(new DockerClient(resolveDockerEndpoint(dockerHost)));
		buildImage(dockerHost, image, `FROM ${busybox}\nRUN dd if=/dev/urandom of=/big.bin bs=1M count=20\nRUN mkdir -p /opt/app/sub && echo a > /opt/app/a && echo b > /opt/app/sub/b && echo c > /opt/app/c\n`);
		await drill('ls-drill-copyup', 'echo x >> /big.bin');
		await drill('ls-drill-delete', 'rm /opt/app/a && rm -r /opt/app/sub');
		await drill('ls-drill-log', 'mkdir -p /var/log && echo started > /var/log/app.log && echo t > /tmp/t && touch /core');
		await drill('ls-drill-opaque', 'rm -rf /opt/app && mkdir /opt/app && echo x > /opt/app/new && echo y > /opt/app/c');
		const before = tarCalls().length;
		// Image directories changed in many places (each one an opaque candidate), one of them made opaque.
		await drill('ls-drill-many-dirs', 'for d in /etc /bin /var /opt /opt/app /opt/app/sub /root /tmp; do touch $d/ls-touched; done && rm -rf /opt/app/sub && mkdir /opt/app/sub');
		manyDirsTars = tarCalls().slice(before);
		await drill(
			'ls-drill-weird',
			[
				'mkdir -p /w/secret && echo s > /w/secret/s && chmod 000 /w/secret',
				'ln -s loop /w/loop && ln -s /w/b /w/a && ln -s /w/a /w/b && ln -s / /w/rootlink',
				`printf x > "/w/$(printf 'title\\033]0;pwned\\007')" && printf y > "/w/$(printf 'bad\\377\\376name')"`,
				`mkdir "/w/$(printf 'dir\\033[31m')" && echo z > "/w/$(printf 'dir\\033[31m')/inner"`,
				'echo h > /w/h1 && ln /w/h1 /w/h2',
			].join(' && '),
		);
	});

	it('gives a copy-up C with the lower size for one byte appended to a 20 MiB image file', async () => {
		const tree = trees.get('ls-drill-copyup')!;
		const big = tree.changes.find(c => c.path === '/big.bin')!;
		expect(big.kind).toBe('C');
		expect(big.class).toBe('copy-up');
		const stat = (await changes.pathStat(tree.containerId, '/big.bin'))!;
		expect(big.bytes).toBe(stat.size);
		expect(big.lowerBytes).toBe(stat.size - 2); // "x\n" appended
		expect(tree.classes[0]).toMatchObject({class: 'copy-up', bytes: stat.size, lowerBytes: stat.size - 2});
	});

	it('reads the opaque xattrs of all changed image directories with one tar per walk, started by absolute path', () => {
		expect(manyDirsTars).toEqual([join(shimDir, 'tar')]);
		const tree = trees.get('ls-drill-many-dirs')!;
		expect(tree.changes.find(c => c.path === '/opt/app/sub/b')).toMatchObject({kind: 'D', class: 'whiteout', lowerBytes: 2});
		expect(tree.changes.find(c => c.path === '/bin/ls-touched')).toMatchObject({kind: 'A'});
		expect(tree.changes.filter(c => c.dir && c.kind === 'C').length).toBeGreaterThanOrEqual(7);
	});

	it('gives D for deleted image files, with the lower bytes they still hold', () => {
		const tree = trees.get('ls-drill-delete')!;
		const a = tree.changes.find(c => c.path === '/opt/app/a')!;
		expect(a).toMatchObject({kind: 'D', class: 'whiteout', bytes: 0, lowerBytes: 2});
		expect(tree.changes.find(c => c.path === '/opt/app/sub')).toMatchObject({kind: 'D', lowerBytes: 2});
	});

	it('classifies /var/log/app.log as logs, /tmp as temp and /core as a crash dump', () => {
		const tree = trees.get('ls-drill-log')!;
		expect(tree.changes.find(c => c.path === '/var/log/app.log')).toMatchObject({kind: 'A', class: 'logs', bytes: 8});
		expect(tree.changes.find(c => c.path === '/tmp/t')).toMatchObject({class: 'temp'});
		expect(tree.changes.find(c => c.path === '/core')).toMatchObject({kind: 'A', class: 'crash-dump'});
		expect(tree.classes.map(c => c.class)).toContain('logs');
	});

	it('matches docker diff (GET /containers/{id}/changes) exactly, for every container', async () => {
		for (const [name, tree] of trees) {
			const engine = await changes.changes(tree.containerId);
			const mine = tree.changes.map(c => ({kind: c.kind, path: rawPath(c)}));
			expect(pairs(mine), name).toEqual(pairs(engine));
		}
	});

	it('walks symlink loops, a symlink to /, escape sequences and invalid UTF-8 without leaking raw bytes', () => {
		const tree = trees.get('ls-drill-weird')!;
		expect(tree.complete).toBe(true);
		for (const c of tree.changes) expect(c.path).not.toMatch(controlBytes);
		for (const d of tree.dirs.values()) {
			expect(d.display).not.toMatch(controlBytes);
			for (const e of d.entries) expect(e.display).not.toMatch(controlBytes);
		}
		const w = [...tree.dirs.values()].find(d => d.display === '/w')!;
		const names = w.entries.map(e => e.display);
		expect(names).toContain('title\\e]0;pwned\\x07');
		expect(names).toContain('bad\\xff\\xfename');
		expect(names).toContain('dir\\e[31m');
		expect(w.entries.find(e => e.display === 'rootlink')).toMatchObject({type: 'symlink', mark: 'A'});
		const bad = tree.changes.find(c => c.path === '/w/bad\\xff\\xfename')!;
		expect(Buffer.from(bad.pathBase64!, 'base64')).toEqual(Buffer.from('/w/bad\xff\xfename', 'latin1'));
		// The escaped directory is navigable: its key leads to its own node with the file inside.
		const dirEntry = w.entries.find(e => e.display === 'dir\\e[31m')!;
		expect(tree.dirs.get(dirEntry.dirKey!)!.entries.map(e => e.display)).toEqual(['inner']);
		// Hard links count once: h1 and h2 share 2 bytes.
		const h = w.entries.filter(e => e.display === 'h1' || e.display === 'h2');
		expect(h.map(e => e.apparentBytes).sort()).toEqual([0, 2]);
		// Nothing outside the layer was entered through rootlink.
		expect([...tree.dirs.values()].some(d => d.display.startsWith('/w/rootlink'))).toBe(false);
	});

	it('counts an unreadable directory and finishes, when the walker runs unprivileged', () => {
		// As root every directory is readable; run the built walker as nobody over a small tree.
		const dir = mkdtempSync(join(tmpdir(), 'ls-drill-perm-'));
		const script = join(mkdtempSync(join(tmpdir(), 'ls-drill-script-')), 'walk.mjs');
		try {
			chmodSync(dir, 0o755);
			mkdirSync(join(dir, 'locked'));
			writeFileSync(join(dir, 'locked', 'secret'), 'x');
			writeFileSync(join(dir, 'open'), 'hello');
			chmodSync(join(dir, 'locked'), 0o000);
			const walker = fileURLToPath(new URL('../../dist/source/adapters/fs/tree-walk.js', import.meta.url));
			chmodSync(join(script, '..'), 0o755);
			writeFileSync(
				script,
				`const {walkTree} = await import(${JSON.stringify(walker)});\nconst t = await walkTree(process.argv[2]);\nprocess.stdout.write(JSON.stringify({totals: t.totals, dirs: t.dirs.map(d => ({key: d.key, unreadable: d.unreadable}))}));\n`,
			);
			chmodSync(script, 0o644);
			const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, script, dir], {encoding: 'utf8'});
			const result = JSON.parse(out);
			expect(result.totals.errors.denied).toBe(1);
			expect(result.totals.apparentBytes).toBe(5); // "open"; the locked file was not readable
			expect(result.dirs.find((d: {key: string}) => d.key === '/locked')).toEqual({key: '/locked', unreadable: true});
		} finally {
			chmodSync(join(dir, 'locked'), 0o755);
			rmSync(dir, {recursive: true, force: true});
			rmSync(join(script, '..'), {recursive: true, force: true});
		}
	});

	it('reports one container with changes[] and classes[] (report --json --container)', async () => {
		const run = (name: string) => runCli(['report', '--json', '--container', name, '--runtime', 'docker'], {DOCKER_HOST: lab().dockerHost});
		const ok = await run('ls-drill-copyup');
		expect(ok.code).toBe(0);
		const report = JSON.parse(ok.stdout);
		expect(report.containers).toHaveLength(1);
		const [c] = report.containers;
		expect(c.name).toBe('ls-drill-copyup');
		expect(c.changes.find((x: DrillChange) => x.path === '/big.bin')).toMatchObject({kind: 'C', class: 'copy-up'});
		expect(pairs(c.changes)).toEqual(pairs(await changes.changes(c.id)));
		expect(c.classes.find((x: {class: string}) => x.class === 'copy-up').bytes).toBe(c.writableBytes);
		const missing = await run('no-such-container');
		expect(missing.code).toBe(2);
		expect(missing.stderr.trim().split('\n')).toHaveLength(1);
		expect(missing.stderr).toMatch(/no container named no-such-container \(hint: `layerscope report` lists them\)/);
	});

	afterAll(async () => {
		process.env.PATH = savedPath;
		rmSync(shimDir, {recursive: true, force: true});
		for (const name of trees.keys())
			await docker
				.getContainer(name)
				.remove({force: true})
				.catch(() => {});
	});
});
