/**
 * The original Lenslet's `field_capabilities` (and `metric_keys` / `categorical_keys`): what its
 * web client builds its metric list, categorical filters and derived-metric editor from. Metrics
 * are every numeric metric (table and label); categoricals are sortable: false, as it answers.
 */

type Capability = {
  key: string;
  raw_key: string;
  kind: 'metric' | 'categorical';
  source: 'backend' | 'derived';
  availability: 'available';
  label: null;
  display: true;
  sortable: boolean;
  filterable: true;
  numeric_formula_input: boolean;
  categorical_input: boolean;
};

function capability(key: string, kind: Capability['kind'], derived = false): Capability {
  return {
    key,
    raw_key: key,
    kind,
    source: derived ? 'derived' : 'backend',
    availability: 'available',
    label: null,
    display: true,
    sortable: kind === 'metric',
    filterable: true,
    numeric_formula_input: kind === 'metric' && !derived,
    categorical_input: kind === 'categorical',
  };
}

const isDerived = (key: string) => key.startsWith('@derived/');

/** `field_capabilities` for these metric and categorical keys (sorted, as the original does). */
export function fieldCapabilities(metrics: readonly string[], categoricals: readonly string[]) {
  const m = [...metrics].sort();
  const c = [...categoricals].sort();
  const inputs = m.filter((k) => !isDerived(k));
  return {
    version: 1,
    metrics: Object.fromEntries(m.map((k) => [k, capability(k, 'metric', isDerived(k))])),
    categoricals: Object.fromEntries(c.map((k) => [k, capability(k, 'categorical')])),
    display_metrics: m,
    sortable_metrics: m,
    filterable_metrics: m,
    numeric_formula_inputs: inputs,
    categorical_inputs: c,
  };
}
