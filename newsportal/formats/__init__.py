"""The site's own date formats (`FORMAT_MODULE_PATH`): the admin writes times as the reader pages do, on a 24-hour
clock ("05:22", never "5:22 a.m."), so an editor comparing the two reads the same time."""
