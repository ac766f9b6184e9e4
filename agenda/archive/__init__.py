"""A body's record kept whole: the file store checked and moved, and the record exported to a
plain folder and imported from one."""
