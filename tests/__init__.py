"""The project's tests: a package, so ``tests.*`` imports find these modules before any other
distribution's top-level ``tests`` package (pygeoapi's wheel installs one into site-packages)."""
