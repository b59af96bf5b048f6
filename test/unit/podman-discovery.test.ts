import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, onTestFinished} from 'vitest';
import {isPodmanVersion} from '../../source/adapters/docker/docker-reader.js';
import {podmanCandidates} from '../../source/adapters/podman/podman-endpoint.js';
import {graphRootFromConf, rootlessGraphRoot, rootlessStores} from '../../source/adapters/podman/rootless-stores.js';

describe('Podman identification by /version', () => {
	it('recognises Podman by a component or the platform name, never Docker', () => {
		expect(isPodmanVersion({Platform: {Name: 'linux/amd64/debian-12'}, Components: [{Name: 'Podman Engine'}, {Name: 'Conmon'}]})).toBe(true);
		expect(isPodmanVersion({Platform: {Name: 'Podman Engine'}})).toBe(true);
		expect(isPodmanVersion({Platform: {Name: 'Docker Engine - Community'}, Components: [{Name: 'Engine'}, {Name: 'containerd'}, {Name: 'runc'}]})).toBe(false);
		expect(isPodmanVersion({})).toBe(false);
		expect(isPodmanVersion(null)).toBe(false);
	});
});

describe('Podman endpoint discovery', () => {
	const servers: Server[] = [];
	let run: string;
	const listen = async (path: string) => {
		mkdirSync(join(path, '..'), {recursive: true});
		const server = createServer();
		await new Promise<void>(resolve => server.listen(path, resolve));
		servers.push(server);
	};

	beforeAll(async () => {
		run = mkdtempSync(join(tmpdir(), 'ls-podman-run-'));
		await listen(join(run, 'podman', 'podman.sock'));
		await listen(join(run, 'user', '1000', 'podman', 'podman.sock'));
		await listen(join(run, 'user', '1002', 'podman', 'podman.sock'));
		// A runtime dir without a Podman socket is not a candidate.
		mkdirSync(join(run, 'user', '1001', 'podman'), {recursive: true});
	});
	afterAll(() => {
		for (const server of servers) server.close();
		rmSync(run, {recursive: true, force: true});
	});

	it('takes --podman-host, then CONTAINER_HOST, alone and explicit', () => {
		const flag = podmanCandidates('unix:///srv/p.sock', {CONTAINER_HOST: 'unix:///other.sock'}, 0, run);
		expect(flag).toEqual([{endpoint: {display: 'unix:///srv/p.sock', socketPath: '/srv/p.sock', local: true, engine: 'Podman'}, explicit: true}]);
		const env = podmanCandidates(undefined, {CONTAINER_HOST: 'unix:///other.sock'}, 0, run);
		expect(env.map(c => c.endpoint.display)).toEqual(['unix:///other.sock']);
		expect(podmanCandidates(`unix://${run}/user/1000/podman/podman.sock`, {}, 0, run)[0]!.user?.uid).toBe(1000);
	});

	it('as root: the rootful socket, then every user’s rootless socket that exists', () => {
		const found = podmanCandidates(undefined, {}, 0, run);
		expect(found.map(c => c.endpoint.socketPath)).toEqual([join(run, 'podman', 'podman.sock'), join(run, 'user', '1000', 'podman', 'podman.sock'), join(run, 'user', '1002', 'podman', 'podman.sock')]);
		expect(found.map(c => c.user?.uid)).toEqual([undefined, 1000, 1002]);
		expect(found.every(c => !c.explicit)).toBe(true);
	});

	it('as a user: only its own $XDG_RUNTIME_DIR socket (and the rootful one, which it may not be allowed to use)', () => {
		const found = podmanCandidates(undefined, {XDG_RUNTIME_DIR: join(run, 'user', '1002')}, 1002, run);
		expect(found.map(c => c.user?.uid)).toEqual([undefined, 1002]);
	});

	it('refuses ssh:// and malformed hosts in one line with a hint', () => {
		expect(() => podmanCandidates('ssh://core@host/run/podman/podman.sock', {}, 0, run)).toThrow(/unsupported Podman host .*ssh:\/\/ needs the podman client/);
		expect(() => podmanCandidates('unix://relative.sock', {}, 0, run)).toThrow(/unsupported Podman host "unix:\/\/relative.sock": use unix:\/\/\/run\/podman\/podman.sock/);
	});
});

describe('rootless storage discovery', () => {
	it('reads graphroot from the [storage] table of storage.conf, expanding $HOME', () => {
		const conf = '# mine\n[storage]\ndriver = "overlay"\ngraphroot = "$HOME/containers"\n[storage.options]\ngraphroot = "/not/this"\n';
		expect(graphRootFromConf(conf, '/home/ana')).toBe('/home/ana/containers');
		expect(graphRootFromConf('[storage.options]\ngraphroot = "/x"\n', '/home/ana')).toBeUndefined();
	});

	it('finds each user’s store (storage.conf or the default path) and attributes it', () => {
		const root = mkdtempSync(join(tmpdir(), 'ls-homes-'));
		onTestFinished(() => rmSync(root, {recursive: true, force: true}));
		const ana = join(root, 'ana');
		const bo = join(root, 'bo');
		mkdirSync(join(ana, '.local/share/containers/storage'), {recursive: true});
		mkdirSync(join(bo, '.config/containers'), {recursive: true});
		mkdirSync(join(bo, 'store'), {recursive: true});
		writeFileSync(join(bo, '.config/containers/storage.conf'), `[storage]\ngraphroot = "${join(bo, 'store')}"\n`);
		const passwd = join(root, 'passwd');
		writeFileSync(passwd, `root:x:0:0:root:/root:/bin/sh\nana:x:1000:1000::${ana}:/bin/sh\nbo:x:1001:1001::${bo}:/bin/sh\ncy:x:1002:1002::${join(root, 'cy')}:/bin/sh\n`);
		expect(rootlessStores(0, passwd)).toEqual([
			{user: 'ana', uid: 1000, graphRoot: join(ana, '.local/share/containers/storage')},
			{user: 'bo', uid: 1001, graphRoot: join(bo, 'store')},
		]);
		expect(rootlessStores(1001, passwd).map(s => s.user)).toEqual(['bo']);
		expect(rootlessGraphRoot({home: '/home/none'})).toBe('/home/none/.local/share/containers/storage');
	});
});
