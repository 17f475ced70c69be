import os

from hypothesis import HealthCheck, settings

# `ci` is what .ci/run uses: more examples, no deadline (shared 2-core runners are noisy),
# derandomized so a red build is reproducible. `fast` is for quick local loops.
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# No deadline anywhere: speed is measured by the benchmarks, not by flaky timeouts.
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("fast", max_examples=15, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
