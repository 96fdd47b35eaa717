; Keys whose value is a nested mapping or sequence scope the lines below them, so a finding in a
; CI or Kubernetes file is anchored to "jobs.build.steps".
(block_mapping_pair
  key: (flow_node [(plain_scalar (string_scalar) @name) (double_quote_scalar) @name (single_quote_scalar) @name])
  value: (block_node)) @definition.key
