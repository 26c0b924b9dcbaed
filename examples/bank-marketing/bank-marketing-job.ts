import type { FeatureSchema } from '../../protocols/job/job-spec.js';

/**
 * Feature schema for UCI bank-additional-full.csv (Moro et al., 2014). Category lists are those in
 * bank-additional-names.txt, checked against the file. The names file documents "jan".."dec" for
 * month, but the data only has mar-dec (no campaign calls in Jan/Feb); only those ten are declared,
 * since the other two one-hot columns would be zero in every row. Width: 9 numeric + 53 one-hot = 62.
 */
export const bankMarketingFeatures: FeatureSchema = {
  numeric: [
    'age',
    'campaign',
    // 999 means "not previously contacted"; kept numeric as in the source study.
    'pdays',
    'previous',
    'emp.var.rate',
    'cons.price.idx',
    'cons.conf.idx',
    'euribor3m',
    'nr.employed',
  ],
  categorical: [
    {
      name: 'job',
      categories: [
        'admin.',
        'blue-collar',
        'entrepreneur',
        'housemaid',
        'management',
        'retired',
        'self-employed',
        'services',
        'student',
        'technician',
        'unemployed',
        'unknown',
      ],
    },
    { name: 'marital', categories: ['divorced', 'married', 'single', 'unknown'] },
    {
      name: 'education',
      categories: [
        'basic.4y',
        'basic.6y',
        'basic.9y',
        'high.school',
        'illiterate',
        'professional.course',
        'university.degree',
        'unknown',
      ],
    },
    { name: 'default', categories: ['no', 'yes', 'unknown'] },
    { name: 'housing', categories: ['no', 'yes', 'unknown'] },
    { name: 'loan', categories: ['no', 'yes', 'unknown'] },
    { name: 'contact', categories: ['cellular', 'telephone'] },
    { name: 'month', categories: ['mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
    { name: 'day_of_week', categories: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    { name: 'poutcome', categories: ['failure', 'nonexistent', 'success'] },
  ],
  label: { column: 'y', positive: 'yes', negative: 'no' },
  // duration is the length of the call, known only once the call is over (and 0 s means "no"):
  // it leaks the label, so a model that is to pick whom to call must not see it.
  ignored: ['duration'],
};
