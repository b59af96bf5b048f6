import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {closeSync, mkdirSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {DockerReader} from '../../source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {WalkPool} from '../../source/adapters/fs/walk-pool.js';
import {startDockerd, stopDockerd} from '../../source/adapters/lab/docker-lab.js';
import {labPaths} from '../../source/adapters/lab/lab-paths.js';
import {scanDocker} from '../../source/services/docker-scan.js';
import {otherFilesBreakdown, type OtherFilesBreakdown} from '../../source/services/other-files.js';
import {buildImage} from '../helpers/docker-build.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** Incompressible-looking bytes: an image layer of about 3 MiB. */
const blob = Array.from({length: 3 * 1024}, (_, i) => `${i.toString(36).padStart(8, '0')}${'y'.repeat(1015)}\n`).join('');

/**
 * The residual of the "other files" breakdown, held deterministic: the machine's root
 * filesystem is shared with other writers (their bytes move statfs while the walk runs:
 * measured 4.5% of used there), so this filesystem is a private ext4 on a loop device,
 * holding a private dockerd's data root (an image built with BuildKit, a created
 * container), node files the rules class, a plain directory no rule names (bound a second
 * time elsewhere on the same filesystem), and a 4 MiB file deleted while a host process
 * keeps it open. statfs must then be explained to
 * under 1% of used, with the deleted-open bytes as their own term.
 */
describe('other files: the residual against statfs on a private ext4', () => {
	let dir: string;
	let image: string;
	let holder: ChildProcess;
	let breakdown: OtherFilesBreakdown;
	const pool = new WalkPool();
	const put = (rel: string, bytes: number) => {
		mkdirSync(dirname(join(dir, rel)), {recursive: true});
		writeFileSync(join(dir, rel), Buffer.alloc(bytes, 7));
	};

	beforeAll(async () => {
		const base = mkdtempSync(join(tmpdir(), 'ls-residual-'));
		image = join(base, 'fs.img');
		dir = join(base, 'mnt');
		mkdirSync(dir);
		execFileSync('truncate', ['-s', '512M', image]);
		execFileSync('mkfs.ext4', ['-q', '-F', image]);
		execFileSync('mount', ['-o', 'loop', image, dir]);
		const paths = labPaths(dir);
		await startDockerd(paths);
		const host = `unix://${paths.docker.socket}`;
		buildImage(host, 'ls-residual/app:1', 'FROM scratch\nCOPY blob /blob\n', {blob});
		execFileSync('/usr/bin/docker', ['create', '--name', 'ls-residual-app', 'ls-residual/app:1', '/nothing'], {env: {...process.env, DOCKER_HOST: host}, stdio: 'ignore'});
		put('var/log/syslog', 300 * KiB);
		put('var/log/syslog.1', 200 * KiB);
		put('var/log/journal/abc/system.journal', MiB);
		put('var/cache/apt/archives/pkg.deb', 512 * KiB);
		put('opt/vendor/blob', 700 * KiB);
		// A bind mount of another directory of this filesystem (as kubelet's subPath and hostPath
		// volumes are): the one-filesystem walk enters it and would count /opt/vendor twice.
		mkdirSync(join(dir, 'srv/view'), {recursive: true});
		execFileSync('mount', ['--bind', join(dir, 'opt/vendor'), join(dir, 'srv/view')]);
		// A log rotated away under a running process: 4 MiB in no directory.
		const held = join(dir, 'var/log/app.log');
		put('var/log/app.log', 4 * MiB);
		const fd = openSync(held, 'r');
		holder = spawn('sleep', ['3600'], {stdio: ['ignore', 'ignore', 'ignore', fd]});
		closeSync(fd);
		unlinkSync(held);
		execFileSync('sync');
		const reader = new DockerReader(new DockerClient(resolveDockerEndpoint(host)));
		const engine = await scanDocker(reader, {pool, diskUsageTimeoutMs: 60_000});
		const all = await otherFilesBreakdown([engine], {hostRoot: dir});
		expect(all).toHaveLength(1);
		breakdown = all[0]!;
	}, 180_000);
	afterAll(async () => {
		holder?.kill('SIGKILL');
		await pool.close();
		if (!dir) return;
		await stopDockerd(labPaths(dir));
		execFileSync('umount', ['-l', dir]);
		rmSync(dirname(dir), {recursive: true, force: true});
	});

	it('walks the filesystem from its mount point, and statfs is explained to under 1% of used', () => {
		expect(breakdown.root).toBe(dir);
		expect(breakdown.errors).toBe(0);
		expect(breakdown.deletedOpenBytes).toBeGreaterThanOrEqual(4 * MiB);
		const {usedBytes, ledgerBytes, summary, deletedOpenBytes, residualBytes} = breakdown;
		expect(residualBytes).toBe(usedBytes - ledgerBytes - summary.classifiedBytes - summary.unclassifiedBytes - deletedOpenBytes!);
		// The engine's ledger lies in its data root: the walked root minus the ledger is the engine's own data, never negative.
		expect(ledgerBytes).toBeGreaterThanOrEqual(3 * MiB);
		expect(summary.byClass['engine-data']).toBeGreaterThan(0);
		expect(summary.byClass.journald).toBeGreaterThanOrEqual(MiB);
		expect(summary.byClass['package-cache']).toBeGreaterThanOrEqual(512 * KiB);
		expect(summary.unclassifiedBytes).toBeGreaterThanOrEqual(700 * KiB);
		// The bind mount is listed, and its bytes are in no total.
		expect(breakdown.entries.filter(e => e.class === 'bind-mount').map(e => e.path)).toEqual([join(dir, 'srv/view')]);
		expect(summary.duplicateBytes).toBeGreaterThanOrEqual(700 * KiB);
		// Nothing else writes here: statfs did not move during the walk, and the residual is the
		// filesystem's own few blocks (ext4 statfs leaves out the journal and the reserved blocks).
		expect(breakdown.churnBytes).toBe(0);
		expect(breakdown.usedAfterBytes).toBe(usedBytes);
		expect(Math.abs(residualBytes), `residual ${residualBytes} of used ${usedBytes}`).toBeLessThan(usedBytes / 100);
	});
});
