"""Analysis: dashboards and the committee's meeting pack read the other apps' data (selectors);
only settings of the analysis itself are stored here."""
