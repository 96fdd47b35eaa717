(using_directive (_) @import.source) @import
