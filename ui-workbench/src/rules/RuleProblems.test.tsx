import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ScenarioEditor } from './ScenarioEditor';
import { ReleaseDetailPage } from '../pages/ReleaseDetail';
import { SessionProvider } from '../session';
import { NoticeBanner } from '../notices';
import { renderWith } from '../test/render';
import type { RuleProblem, TestResponse } from '../types';

// what the service answers for a rule that re-triggers itself (RuleRunFailure: file, line, rule, cause in words)
const LOOPING: RuleProblem = {
  file: 'recon/trade/loop.drl', line: 7, column: 0, kind: 'RUNTIME', rule: 'Touch every order',
  message: "Rule 'Touch every order' keeps firing (scenario 'loop', step 1, on O-1): the rules fired 10000 times for one record (the cap).",
  detail: 'the rules fired 10000 times for one record (the cap)',
};

describe('rule problems at run time', () => {
  it('the scenario editor says which rule failed instead of "does not build"', () => {
    const result: TestResponse = { ok: false, errors: [LOOPING], results: [] };
    renderWith(<ScenarioEditor doc={{ name: 'loop', steps: [{ at: 0, insert: 'Order', fields: { orderId: 'O-1' } }] }} canRun running={false}
      result={result} onRun={() => {}} onChange={() => {}} />);
    const banner = screen.getByTestId('scenario-result');
    expect(banner.getAttribute('data-passed')).toBe('false');
    expect(banner.textContent).toContain('A rule failed while the scenario ran');
    expect(banner.textContent).toContain("Rule 'Touch every order' keeps firing");
    expect(banner.textContent).not.toContain('do not build');
  });

  it('a shadow run refused with a rule problem shows the server reason and the rule at its file and line', async () => {
    const release = { version: '1.0.9', status: 'PUBLISHED', author: 'analyst', createdAt: '2026-12-01T10:00:00Z', origin: 'DRAFT',
      taskGroups: ['trade'], previousVersion: '1.0.0', notes: null, kjarSha256: null, diff: null };
    vi.stubGlobal('fetch', vi.fn(async (url: string) => {
      const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
      if (url === '/api/releases/1.0.9') return json(200, release);
      if (url === '/api/releases') return json(200, [release]);
      if (url === '/api/releases/1.0.9/shadow') {
        return json(422, { error: 'The shadow run of rules 1.0.9 stopped: ' + LOOPING.message, errors: [LOOPING] });
      }
      return json(404, { error: 'not here' });
    }));
    renderWith(<SessionProvider initial={{ user: 'releaser', roles: ['RELEASER'], tasks: ['*'] }}><NoticeBanner /><ReleaseDetailPage version="1.0.9" /></SessionProvider>);
    fireEvent.click(await screen.findByTestId('shadow'));
    const problem = await screen.findByTestId('rule-problem');
    expect(problem.getAttribute('data-file')).toBe('recon/trade/loop.drl');
    expect(problem.getAttribute('data-line')).toBe('7');
    expect(problem.getAttribute('data-rule')).toBe('Touch every order');
    expect(problem.textContent).toContain('recon/trade/loop.drl:7');
    expect(problem.textContent).toContain('keeps firing');
    await waitFor(() => expect(document.body.textContent).toContain('The shadow run of rules 1.0.9 stopped'));
    expect(screen.queryByTestId('shadow-report')).toBeNull();
  });
});
