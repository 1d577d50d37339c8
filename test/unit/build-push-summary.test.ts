import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureMarkdown, summaryMarkdown, type BuildReport } from '../../actions/build-push/summary.js';
import { guardLine, jobExitCode, jobReport } from '../../scripts/main-job.js';

const report: BuildReport = {
  images: ['127.0.0.1:5000/acme/app'],
  tags: ['main', 'sha-1234567'],
  refs: ['127.0.0.1:5000/acme/app:main', '127.0.0.1:5000/acme/app:sha-1234567'],
  digest: `sha256:${'ab'.repeat(32)}`,
  platforms: ['linux/amd64'],
  pushed: true,
  cache: 'none',
  builder: 'default (docker)',
  durationMs: 1200,
  built: 'yes',
  immutableCheck: ['sha-1234567'],
};
const guardRow = (md: string): string => md.split('\n').find((l) => l.includes('Immutable tags checked'))!.replace(/\s+/g, ' ');

describe('build-push job summary: immutable tags row', () => {
  it('lists the checked tags when the guard ran', () => assert.equal(guardRow(summaryMarkdown(report)), '| Immutable tags checked | sha-1234567 |'));
  it('says skipped (allow-overwrite) when the guard was skipped', () => assert.equal(guardRow(summaryMarkdown({ ...report, immutableCheck: 'skipped' })), '| Immutable tags checked | skipped (allow-overwrite) |'));
  it('keeps — only when nothing was pushed', () => assert.equal(guardRow(summaryMarkdown({ ...report, pushed: false, immutableCheck: undefined })), '| Immutable tags checked | — |'));
});

describe('build-push job summary: built row', () => {
  const builtRow = (md: string): string => md.split('\n').find((l) => l.startsWith('| Built'))!.replace(/\s+/g, ' ');
  it('says yes after a build', () => assert.equal(builtRow(summaryMarkdown(report)), '| Built | yes |'));
  it('says what was promoted when nothing was built', () =>
    assert.equal(builtRow(summaryMarkdown({ ...report, built: 'no: promoted sha-1234567, built earlier from this commit' })), '| Built | no: promoted sha-1234567, built earlier from this commit |'));
});

describe('main job report (scripts/main-job.ts)', () => {
  const step = (exitCode: number, stdout = '') => ({ exitCode, stdout, stderr: '' });
  const image = '127.0.0.1:5001/platform-actions/example-app';
  const outputs = { digest: report.digest, 'image-ref': `${image}@${report.digest}` };

  it('puts the post step log on its own line and ends with the passed line', () => {
    const text = jobReport({ main: step(0), post: step(0, 'Removed 2 temporary credential directories\n'), outputs, summary: '### build-push\n' }, image);
    assert.match(text, /^── post step: exit 0 ──\nRemoved 2 temporary credential directories$/m);
    assert.equal(text.split('\n').at(-1), `main job: passed — ${image}@${report.digest}`);
  });

  it('ends with FAILED and the exit code, which is the action\'s', () => {
    const failed = { main: step(1), post: step(0), outputs: {}, summary: '' };
    assert.equal(jobReport(failed, image).split('\n').at(-1), 'main job: FAILED (exit 1)');
    assert.equal(jobExitCode(failed), 1);
    assert.equal(jobExitCode({ main: step(0), post: step(2) }), 2);
    assert.equal(jobExitCode({ main: step(0), post: step(0) }), 0);
  });

  it('says whether a pushed commit is promoted or rebuilt, and whether the immutable-tag guard runs', () => {
    assert.match(guardLine('false'), /a commit already pushed is promoted \(its digest re-tagged, nothing built\); REBUILD=true builds/);
    assert.match(guardLine('false'), /allow-overwrite: false: the immutable-tag guard runs/);
    assert.match(guardLine('true', 'true'), /rebuild: true \(REBUILD=true\)/);
    assert.match(guardLine('true', 'true'), /the immutable-tag guard is skipped, a rebuild may move sha-\*/);
  });
});

describe('build-push job summary of a failed run', () => {
  const D = `sha256:${'c'.repeat(64)}`;
  it('states the error and only what the run saw: no build, nothing pushed', () => {
    const md = failureMarkdown({ tags: [], pushed: [] }, "Input 'images': is required");
    assert.match(md, /\| Result \| failed \|/);
    assert.match(md, /\| Error \| Input 'images': is required \|/);
    assert.match(md, /\| Tags \| — \(not computed\) \|/);
    assert.match(md, /\| Built \| no image built \|/);
    assert.match(md, /\| Pushed or tagged \| nothing \|/);
  });
  it('names the built digest and each reference the registry accepted before the failure', () => {
    const md = failureMarkdown({ tags: ['main', 'sha-1234567'], digest: D, pushed: ['r/a:main', 'r/a:sha-1234567'] }, 'push r/b:main: 503\nService Unavailable');
    assert.match(md, new RegExp(`\\| Built \\| \`${D}\` \\|`));
    assert.match(md, /\| Pushed or tagged \| r\/a:main<br>r\/a:sha-1234567 \|/);
    assert.match(md, /\| Error \| push r\/b:main: 503 Service Unavailable \|/, 'a multi-line error stays in its cell');
  });
});
