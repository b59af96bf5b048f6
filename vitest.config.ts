import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		// Integration tests share one private engine and compare against its totals.
		fileParallelism: false,
		testTimeout: 120_000,
		hookTimeout: 300_000,
		teardownTimeout: 120_000,
		reporters: ['default'],
		// `vitest run --project unit` (npm run test:unit) and `--project ui` need no engine;
		// only the engine project starts the private lab (test/global-setup.ts).
		projects: [
			{extends: true, test: {name: 'unit', include: ['test/unit/**/*.test.ts']}},
			{extends: true, test: {name: 'ui', include: ['test/ui/**/*.test.ts', 'test/ui/**/*.test.tsx']}},
			{
				extends: true,
				test: {name: 'engine', include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts']},
			},
		],
	},
});
