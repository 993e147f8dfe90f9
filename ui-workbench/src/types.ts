// Shapes of the service's JSON, as its controllers write them.
export interface Session { user: string; roles: string[]; tasks: string[] }
export interface Mismatch {
  id: number; task: string; key: string; type: string; status: string; severity: string; reason: string;
  rule: string; rulesVersion: string; firstSeen: string; lastSeen: string; resolvedAt: string | null;
  assignee: string | null; assigneeKind: string | null;
}
export interface MismatchPage { items: Mismatch[]; total: number; page: number; size: number }
export interface Evidence { type: string; fields: Record<string, unknown> | string }
export interface HistoryEntry { from: string | null; to: string; actor: string; note: string | null; at: string }
export interface Note { author: string; text: string; at: string }
export interface MismatchDetail { mismatch: Mismatch; snapshot: Evidence[] | null; history: HistoryEntry[]; notes: Note[] }
export interface BatchOutcome { action: string; matched: number; applied: number; refused: { id: number; reason: string }[] }
/** A re-check or repair over the filter (or its dry run): refused lists the first refusals, refusedCount all of them. */
export interface QueueBatchOutcome extends BatchOutcome { dryRun: boolean; refusedCount: number; limit: number }
export interface Bucket {
  start: string; task: string; checked: number; mismatched: number; autoResolved: number; repaired: number;
  resolvedByHand: number; ignored: number;
}
export interface StatsAnswer { granularity: string; from: string; to: string; buckets: Bucket[] }
export interface Health {
  task: string; last24h: Bucket | null; mismatchRate: number | null; openByAge: Record<string, number>;
  timeToResolve: Record<string, Record<string, number>>;
}
export interface SessionView {
  task: string; partition: number; state: string; rulesVersion: string; liveFactsByType: Record<string, number>;
  rulesFired: number; watermark: string | null; queueDepth: number; lastEventTime: string | null; nextOffset: number;
  lastCheckpoint: string | null; openMismatchesInSession: number; lastError: string | null;
  restarts?: number; nextAttempt?: string | null;
}
export interface QuarantinedRule { task: string; rule: string; since: string; reason: string; faults: number }
export interface DeadLetter { id: number; source: string; reason: string; payload: string; receivedAt: string }
export interface ActionItem {
  id: number; idempotencyKey: string; kind: string; task: string; mismatchId: number | null; channel: string;
  severity: string; status: string; attempts: number; folded: number; createdAt: string; doneAt: string | null;
  lastError: string | null; attemptLog: { at: string; ok: boolean; detail: string; durationMs: number }[];
}
export interface RuleDiff { added: string[]; removed: string[]; changed: string[] }
export interface Release {
  version: string; taskGroups: string[]; author: string | null; notes: string | null; createdAt: string; status: string;
  origin: string; previousVersion: string | null; diff: RuleDiff | null; kjarSha256: string | null;
}
export interface Activation {
  id: number; fromVersion: string | null; toVersion: string; requestedBy: string; requestedAt: string; outcome: string;
  detail: string | null; pauseMillis: number | null;
}
export interface Finding { task: string; type: string; key: string; severity: string; reason: string; rule: string }
export interface ShadowReport {
  candidate: string; active: string; window: string; records: number; millis: number; recordsPerSecond: number;
  added: Finding[]; removed: Finding[];
}
export interface CanaryPartition { partition: number; rulesVersion: string | null; canary: boolean; state: string; recordsRead: number; opened: number; healed: number }
export interface CanarySide { version: string; partitions: number[]; recordsRead: number; opened: number; healed: number; openedPerThousand: number }
export interface CanaryReport {
  task: string; version: string; active: string; startedAt: string; startedBy: string;
  candidate: CanarySide; baseline: CanarySide; partitions: CanaryPartition[];
}
export interface RuleFile { name: string; content: string }
export interface RuleProblem { file: string | null; line: number; column: number; kind: string; message: string; detail: string | null; rule?: string | null }
export interface ValidateResponse { ok: boolean; errors: RuleProblem[]; rules: string[] }
export interface Change { type: string; key: string; severity: string; reason: string; rule: string }
export interface StepResult {
  step: number; at: string; did: string; fired: Record<string, number>; detected: Change[]; healed: Change[];
  open: string[]; failure: string | null;
}
export interface TestResult { scenario: string; passed: boolean; steps: StepResult[]; open: string[]; fired: Record<string, number>; failures: string[] }
export interface TestResponse { ok: boolean; errors: RuleProblem[]; results: TestResult[] }
export interface Draft { name: string; task: string; baseVersion: string | null; files: RuleFile[]; updatedAt?: string; author?: string }
