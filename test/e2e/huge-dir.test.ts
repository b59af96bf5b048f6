import {readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {lab, labDocker, runContainer, waitFor} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

// README's failure table (When things go wrong), row 8: one directory with 100,000 entries in a writable layer: progress while
// walking (a growing entry count), then navigable, help works, peak memory bounded.
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

	it('shows progress while it walks: a count of entries that grows', async () => {
		// Every screen captured while the walk runs; a walk can be quick, so `r` walks again (at most 3 walks).
		const counts: number[] = [];
		for (let walk = 0; walk < 3 && new Set(counts).size < 2; walk++) {
			if (walk > 0) {
				term.send('r');
				await term.until('the walk to start again', text => /walking/.test(text), 20_000);
			}
			counts.length = 0;
			for (;;) {
				const text = term.screen();
				const shown = /walking… ([\d.]+)(k|M)? entries/.exec(text);
				if (shown) counts.push(Math.round(Number(shown[1]) * (shown[2] === 'M' ? 1e6 : shown[2] === 'k' ? 1e3 : 1)));
				if (/^walked on the host/m.test(text) || /exit=\d/.test(text)) break;
				if (term.captures.length > 20_000) throw new Error(`the walk never finished; the screen was:\n${text}`);
				await new Promise(resolve => setTimeout(resolve, 20));
			}
		}
		term.captures.length = 0;
		// At least two different counts, never going down, none above what the directory holds.
		expect(new Set(counts).size, `entry counts seen while walking: ${counts.join(', ')}`).toBeGreaterThanOrEqual(2);
		for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
		expect(Math.max(...counts)).toBeLessThanOrEqual(entries + 10);
	});

	it('walks it, stays responsive, and keeps memory bounded', async () => {
		const tree = await term.until('the tree with the huge directory', text => /huge\//.test(text) && /100\.0k|100000/.test(text), 120_000);
		expect(tree).toContain('Writable layer of ls-huge-dir');
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
