/**
 * Page deadlines for known-answer tests on real timers: the largest budgets the config allows, so that
 * a loaded machine cannot push a row to its fallback and change the answer (a 150 ms row budget did).
 * What a deadline does is tested on a virtual clock (VirtualTimers in serving-fakes.ts).
 */
export const UNHURRIED_SERVING = { budgetMs: 10_000, rowBudgetMs: 10_000 } as const;
