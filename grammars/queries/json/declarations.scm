; Keys whose value is an object or array scope the lines below them.
(pair key: (string (string_content) @name) value: [(object) (array)]) @definition.key
