"""From village to nation (issue 15): roll-up, the central-level list, the compliance monitor, the national summary."""
