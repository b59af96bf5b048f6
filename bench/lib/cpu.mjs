// CPU seconds spent by this process (all threads), by its waited-for children and by
// one other process (the private dockerd), read from /proc. Wall time on a shared
// 2-core machine is noisy; CPU time shows where the work goes.
import {readFileSync} from 'node:fs';

const tick = 100; // CLK_TCK on Linux

function stat(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
		// fields from 3 (state): utime=14, stime=15, cutime=16, cstime=17 → index-3
		return {self: (Number(f[11]) + Number(f[12])) / tick, children: (Number(f[13]) + Number(f[14])) / tick};
	} catch {
		return {self: 0, children: 0};
	}
}

export function cpuMeter(enginePid) {
	const read = () => {
		const me = stat('self');
		return {self: me.self, children: me.children, engine: enginePid ? stat(enginePid).self : 0};
	};
	return {
		start() {
			const a = read();
			return () => {
				const b = read();
				return {self: b.self - a.self, children: b.children - a.children, engine: b.engine - a.engine};
			};
		},
	};
}
