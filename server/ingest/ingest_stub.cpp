// Placeholder until the SARIF reader lands.
