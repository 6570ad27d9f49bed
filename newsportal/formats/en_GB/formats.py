# British English as Django has it, but for the clock: 24 hours, as `articles_tags.newstime` writes times.
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
