import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
		globalSetup: ['test/global-setup.ts'],
		// Integration tests share one private engine and compare against its totals.
		fileParallelism: false,
		testTimeout: 120_000,
		hookTimeout: 300_000,
		teardownTimeout: 120_000,
		reporters: ['default'],
	},
});
