import {readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

// README's failure table (When things go wrong), row 8: one directory with 100,000 entries in a writable layer: the walk
// finishes and shows all of them, then navigable, help works, peak memory bounded. The growing entry count while it walks is
// proved where no clock decides what is seen (a quick walk can end between two tmux captures): the walker's reports in
// test/integration/walk-progress.test.ts, their pace in test/unit/walk-progress.test.ts, the "walking… N entries" line in
// test/ui/drill.test.tsx.
describe('drill-down of a directory with 100,000 entries (tmux 80×24)', () => {
	const docker = labDocker();
	const term = tmuxSession('huge');
	const pidFile = join(tmpdir(), `ls-huge-${process.pid}.pid`);
	const entries = 100_000;

	beforeAll(async () => {
		await runContainer(docker, 'ls-huge-dir', `mkdir -p /huge && cd /huge && seq 1 ${entries} | sed s/^/f/ | xargs touch; touch /done; sleep 3600`);
		await waitFor(
			'the 100,000 files',
			async () => {
				const info = await docker.getContainer('ls-huge-dir').inspect();
				const upper = (info.GraphDriver.Data as Record<string, string>).UpperDir!;
				try {
					readFileSync(join(upper, 'done'));
					return true;
				} catch {
					return false;
				}
			},
			300_000,
		);
		term.start({DOCKER_HOST: lab().dockerHost}, `sh -c 'echo $$ > ${pidFile}; exec ${process.execPath} ${cliPath} --runtime docker --container ls-huge-dir'`);
	}, 360_000);
	afterAll(async () => {
		term.kill();
		await docker
			.getContainer('ls-huge-dir')
			.remove({force: true})
			.catch(() => {});
	});

	it('walks it, stays responsive, and keeps memory bounded', async () => {
		const tree = await term.until('the finished walk with the huge directory', text => /^walked on the host/m.test(text) && /huge\//.test(text) && /100\.0k|100000/.test(text), 120_000);
		expect(tree).toContain('Writable layer of ls-huge-dir');
		expect(tree).not.toContain('walking…');
		// Responsive: into the directory and out again, help and back.
		await term.cursorTo(/huge\//);
		term.send('Enter');
		await term.until('inside /huge', text => /^\/huge +sizes/m.test(text), 20_000);
		term.send('?');
		await term.until('the help overlay', text => text.includes('this help'), 10_000);
		term.send('Escape');
		await term.until('the tree again', text => /^\/huge +sizes/m.test(text), 10_000);
		const pid = Number(readFileSync(pidFile, 'utf8').trim());
		const peakKiB = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
		expect(peakKiB * 1024).toBeLessThan(300 * 1024 * 1024);
		term.send('q');
		await term.until('a clean exit', text => text.includes('exit=0'), 15_000);
	});
});
