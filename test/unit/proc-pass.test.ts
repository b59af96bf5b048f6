import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {deletedLinks, listPids} from '../../source/adapters/proc/deleted-open-scan.js';
import {findKubeletCmdline} from '../../source/adapters/proc/kubelet-cmdline.js';
import {startProcPass} from '../../source/adapters/proc/proc-pass.js';

/**
 * report's one pass over /proc (fd links and the kubelet's command line), shared between a
 * worker thread and this thread, answers exactly what the two separate passes answer: the
 * links in /proc's order, the first kubelet in that order. A fake /proc: 40 processes, some
 * holding links to deleted files, two kubelets (one by comm, one by argv[0]).
 */
describe('the shared /proc pass', () => {
	const proc = mkdtempSync(join(tmpdir(), 'ls-proc-pass-'));
	for (let pid = 100; pid < 140; pid++) {
		const dir = join(proc, String(pid));
		mkdirSync(join(dir, 'fd'), {recursive: true});
		for (let fd = 0; fd < 4; fd++) symlinkSync(pid % 3 === 0 && fd === 2 ? `/var/log/app-${pid}.log (deleted)` : `/dev/null`, join(dir, 'fd', String(fd)));
		const kubeletByComm = pid === 131;
		const kubeletByArgv = pid === 117;
		writeFileSync(join(dir, 'comm'), kubeletByComm ? 'kubelet\n' : 'sleep\n');
		writeFileSync(join(dir, 'cmdline'), kubeletByArgv ? `/usr/bin/kubelet\0--config=/etc/k-${pid}.yaml\0` : `sleep\0${pid}\0`);
	}
	writeFileSync(join(proc, 'uptime'), '1 1\n');
	afterAll(() => rmSync(proc, {recursive: true, force: true}));

	const expected = () => ({links: deletedLinks(listPids({devices: null}, proc)!, proc), kubelet: findKubeletCmdline(proc)});

	it('with a worker from the start, this thread joining at the end', async () => {
		const result = await startProcPass({proc, links: true, kubelet: true, workerFrom: 0}).finish();
		expect(result).toEqual(expected());
		expect(result.links?.links).toHaveLength(13);
		expect(result.kubelet?.pid).toBeGreaterThan(0);
	});

	it('in this thread only, between turns of the event loop and then at the end', async () => {
		const pass = startProcPass({proc, links: true, kubelet: true, workerFrom: Number.POSITIVE_INFINITY});
		pass.helpWhileIdle();
		await new Promise(resolve => setImmediate(resolve));
		await new Promise(resolve => setImmediate(resolve));
		expect(await pass.finish()).toEqual(expected());
	});

	it('reads only what is asked for', async () => {
		expect(await startProcPass({proc, links: false, kubelet: true, workerFrom: 0}).finish()).toEqual({links: null, kubelet: findKubeletCmdline(proc)});
		expect(await startProcPass({proc, links: true, kubelet: false}).finish()).toEqual({links: deletedLinks(listPids({devices: null}, proc)!, proc), kubelet: undefined});
	});
});
