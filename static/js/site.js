// Progressive enhancements only: every flow works without this file.
