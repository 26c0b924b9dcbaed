import { describe, expect, it } from 'vitest';
import { takeResumeOption } from './resume-option.js';

describe('takeResumeOption', () => {
  it('reads --resume, --resume auto and --resume=auto, leaving the other arguments in order', () => {
    expect(takeResumeOption(['--job', 'j.yaml', '--port', '0'])).toEqual({ argv: ['--job', 'j.yaml', '--port', '0'], resume: 'never' });
    expect(takeResumeOption(['--job', 'j.yaml', '--resume'])).toEqual({ argv: ['--job', 'j.yaml'], resume: 'always' });
    expect(takeResumeOption(['--resume', '--job', 'j.yaml'])).toEqual({ argv: ['--job', 'j.yaml'], resume: 'always' });
    expect(takeResumeOption(['--resume', 'auto', '--job', 'j.yaml'])).toEqual({ argv: ['--job', 'j.yaml'], resume: 'auto' });
    expect(takeResumeOption(['--job', 'j.yaml', '--resume=auto'])).toEqual({ argv: ['--job', 'j.yaml'], resume: 'auto' });
  });
});
