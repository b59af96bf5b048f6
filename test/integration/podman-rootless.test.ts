import {execFileSync} from 'node:child_process';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {removeRootlessPodman, rootlessPodmanCli, rootlessUnavailable, startRootlessPodman, type RootlessPodman} from '../../source/adapters/lab/podman-rootless-lab.js';
import {rootlessStores} from '../../source/adapters/podman/rootless-stores.js';
import type {Report} from '../../source/report/report-model.js';
import {cliPath, runCli} from '../helpers/cli.js';
import {busybox, lab, waitFor} from '../helpers/lab.js';

const user = 'ls-rootless';
const MiB = 1024 * 1024;

/**
 * Issue 16, rootless: an ordinary user with subordinate ids runs its own Podman service
 * (native overlay in a user namespace). Skipped, with the reason, only when this machine
 * does not allow that (no user namespaces for the user, no newuidmap).
 */
describe('rootless Podman', () => {
	let unavailable: string | null = null;
	let rootless: RootlessPodman;
	const sizes = async () => {
		const list = JSON.parse(await rootlessPodmanCli(rootless, ['ps', '-a', '-s', '--format', 'json'])) as Array<{Names: string[]; Size?: {rwSize: number}}>;
		return new Map(list.map(c => [c.Names[0]!, c.Size?.rwSize ?? 0]));
	};
	const near = (actual: number | null, expected: number) => expect(Math.abs((actual ?? 0) - expected) / expected).toBeLessThan(0.05);

	beforeAll(async () => {
		unavailable = await rootlessUnavailable(user);
		if (unavailable) return;
		rootless = await startRootlessPodman(lab().dir, user);
		const have = await rootlessPodmanCli(rootless, ['image', 'exists', busybox]).then(
			() => true,
			() => false,
		);
		if (!have) await rootlessPodmanCli(rootless, ['import', '--quiet', '--change', 'CMD ["/bin/sh"]', join(lab().imagesDir, 'rootfs.tar'), busybox]);
		const start = (name: string, script: string) => rootlessPodmanCli(rootless, ['run', '-d', '--replace', '--name', name, '--network', 'none', busybox, 'sh', '-c', script]);
		await start('ls-rl-six', 'dd if=/dev/urandom of=/six.bin bs=1M count=6 2>/dev/null; sleep 3600');
		// A directory owned by a subordinate id (container uid 1000), mode 0700: its owner
		// outside the user namespace is not the user, so the user cannot read it from outside.
		await start('ls-rl-private', 'mkdir -p /var/priv && dd if=/dev/urandom of=/var/priv/data.bin bs=1M count=2 2>/dev/null && chown -R 1000:1000 /var/priv && chmod 700 /var/priv; sleep 3600');
		await waitFor('both rootless containers written', async () => {
			const now = await sizes();
			return (now.get('ls-rl-six') ?? 0) >= 6 * MiB && (now.get('ls-rl-private') ?? 0) >= 2 * MiB;
		});
	});
	afterAll(async () => {
		if (!unavailable) await removeRootlessPodman(lab().dir, user);
	});

	it('as root: the user’s service, bytes attributed to the user, layers sized within 5% of `podman ps -s`', async ctx => {
		if (unavailable) return ctx.skip(`rootless Podman cannot run on this machine: ${unavailable}`);
		const r = await runCli(['report', '--json', '--runtime', 'podman', '--podman-host', `unix://${rootless.socket}`]);
		expect(r.stderr).toBe('');
		const report = JSON.parse(r.stdout) as Report;
		expect(report.runtime.kind).toBe('podman');
		expect(report.runtime.user).toEqual({name: user, uid: rootless.uid});
		expect(report.runtime.name).toBe(`podman (rootless, ${user})`);
		expect(report.runtime.id).toBe(`podman-${user}`);
		expect(report.runtime.rootDir).toBe(join(rootless.home, '.local/share/containers/storage'));
		const reference = await sizes();
		for (const name of ['ls-rl-six', 'ls-rl-private']) {
			const c = report.containers.find(x => x.name === name)!;
			expect(c.sizeSource, name).toBe('walk');
			near(c.writableBytes, reference.get(name)!);
		}
		// And as root every user's rootless storage is found, per its storage.conf.
		expect(rootlessStores().find(s => s.user === user)).toEqual({user, uid: rootless.uid, graphRoot: join(rootless.home, '.local/share/containers/storage')});
	});

	it('as the user itself (no root): finds its own socket, and says what it could not read and how it sized it', async ctx => {
		if (unavailable) return ctx.skip(`rootless Podman cannot run on this machine: ${unavailable}`);
		const asUser = ['setpriv', `--reuid=${rootless.uid}`, `--regid=${rootless.gid}`, '--init-groups', process.execPath, cliPath];
		const r = await runCli(['report', '--json', '--runtime', 'podman'], {...rootless.env, CONTAINER_HOST: ''}, {command: asUser});
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		const report = JSON.parse(r.stdout) as Report;
		expect(report.runtime.endpoint).toBe(`unix://${rootless.socket}`);
		expect(report.runtime.user?.name).toBe(user);
		const reference = await sizes();
		const six = report.containers.find(c => c.name === 'ls-rl-six')!;
		expect(six.sizeSource).toBe('walk');
		near(six.writableBytes, reference.get('ls-rl-six')!);
		// The 0700 directory of a subordinate id is unreadable from outside the user namespace:
		// the layer is sized by Podman instead, and the report says so.
		const priv = report.containers.find(c => c.name === 'ls-rl-private')!;
		expect(priv.sizeSource).toBe('engine');
		near(priv.writableBytes, reference.get('ls-rl-private')!);
		expect(report.warnings.join('\n')).toContain('ls-rl-private: part of its writable layer is not readable here');
	});

	it('fuse-overlayfs: sized from its upper dir like native overlay', ctx => {
		if (unavailable) return ctx.skip(`rootless Podman cannot run on this machine: ${unavailable}`);
		let fuse: string | null = null;
		try {
			execFileSync('setpriv', [`--reuid=${rootless.uid}`, `--regid=${rootless.gid}`, '--init-groups', 'sh', '-c', 'test -r /dev/fuse -a -w /dev/fuse'], {stdio: 'ignore'});
		} catch {
			fuse = '/dev/fuse is not open to ordinary users on this machine (crw------- root), so rootless Podman cannot mount fuse-overlayfs here';
		}
		if (fuse) return ctx.skip(fuse);
		// Not reached on the machines this was written on; see README (rootless Podman).
		expect.fail('fuse-overlayfs is usable here: extend this test with a fuse-overlayfs store');
	});
});
