<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AddRecordDialog</name>
    <message>
        <source>Add a record</source>
        <translation>Add a record</translation>
    </message>
    <message>
        <source>Records what the employee did at the time it happened (a forgotten check-out, a break nobody recorded). It is marked manual, with your name and the reason.</source>
        <translation>Records what the employee did at the time it happened (a forgotten check-out, a break nobody recorded). It is marked manual, with your name and the reason.</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Employee</translation>
    </message>
    <message>
        <source>Choose the employee.</source>
        <translation>Choose the employee.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>Working…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <source>Saved, but an environment variable still decides: {names}. Remove it from the kiosk&apos;s environment for this setting to apply.</source>
        <translation>Saved, but an environment variable still decides: {names}. Remove it from the kiosk&apos;s environment for this setting to apply.</translation>
    </message>
    <message>
        <source>Saved. The change is in force now.</source>
        <translation>Saved. The change is in force now.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>Settings pages</source>
        <translation>Settings pages</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Employees</translation>
    </message>
    <message>
        <source>Face enrollment</source>
        <translation>Face enrollment</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Shifts</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Recognition</source>
        <translation>Recognition</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Attendance</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Kiosk</translation>
    </message>
    <message>
        <source>Administrators</source>
        <translation>Administrators</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Signed in as {user}</source>
        <translation>Signed in as {user}</translation>
    </message>
    <message>
        <source>Nobody is recorded while the settings are open</source>
        <translation>Nobody is recorded while the settings are open</translation>
    </message>
    <message>
        <source>← Back to the kiosk (Esc)</source>
        <translation>← Back to the kiosk (Esc)</translation>
    </message>
</context>
<context>
    <name>AdminStep</name>
    <message>
        <source>Your administrator account</source>
        <translation>Your administrator account</translation>
    </message>
    <message>
        <source>Only administrators open the settings (F2, or the ⚙ button). Choose your user name and a password of at least 10 characters; type it twice.</source>
        <translation>Only administrators open the settings (F2, or the ⚙ button). Choose your user name and a password of at least 10 characters; type it twice.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Repeat the password</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repeat it</translation>
    </message>
    <message>
        <source>Write a user name: 1 to 64 characters, no spaces.</source>
        <translation>Write a user name: 1 to 64 characters, no spaces.</translation>
    </message>
    <message>
        <source>The password needs at least 10 characters.</source>
        <translation>The password needs at least 10 characters.</translation>
    </message>
    <message>
        <source>The password cannot start or end with spaces.</source>
        <translation>The password cannot start or end with spaces.</translation>
    </message>
    <message>
        <source>The password is too repetitive. Use more different characters.</source>
        <translation>The password is too repetitive. Use more different characters.</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>The two passwords differ. Type the same one twice.</translation>
    </message>
</context>
<context>
    <name>AdminsPage</name>
    <message>
        <source>People who can open these settings. Keep at least two, so that one can let the other back in.</source>
        <translation>People who can open these settings. Keep at least two, so that one can let the other back in.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Last sign-in</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Disable</translation>
    </message>
    <message>
        <source>Set this &amp;temporary password</source>
        <translation>Set this &amp;temporary password</translation>
    </message>
    <message>
        <source>The selected administrator</source>
        <translation>The selected administrator</translation>
    </message>
    <message>
        <source>New pass&amp;word</source>
        <translation>New pass&amp;word</translation>
    </message>
    <message>
        <source>Repeat it</source>
        <translation>Repeat it</translation>
    </message>
    <message>
        <source>They choose their own password at their next sign-in.</source>
        <translation>They choose their own password at their next sign-in.</translation>
    </message>
    <message>
        <source>&amp;Add administrator</source>
        <translation>&amp;Add administrator</translation>
    </message>
    <message>
        <source>A new administrator</source>
        <translation>A new administrator</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repeat it</translation>
    </message>
    <message>
        <source>Administrators</source>
        <translation>Administrators</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>disabled</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <source>you</source>
        <translation>you</translation>
    </message>
    <message>
        <source>locked after failed attempts</source>
        <translation>locked after failed attempts</translation>
    </message>
    <message>
        <source>must choose a new password</source>
        <translation>must choose a new password</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Enable</translation>
    </message>
    <message>
        <source>Your own account: change your password on the Kiosk page.</source>
        <translation>Your own account: change your password on the Kiosk page.</translation>
    </message>
    <message>
        <source>Choose an administrator in the list.</source>
        <translation>Choose an administrator in the list.</translation>
    </message>
    <message>
        <source>{user} can sign in again.</source>
        <translation>{user} can sign in again.</translation>
    </message>
    <message>
        <source>{user} can no longer sign in.</source>
        <translation>{user} can no longer sign in.</translation>
    </message>
    <message>
        <source>{user} has a temporary password now; tell it to them. They choose their own at their next sign-in.</source>
        <translation>{user} has a temporary password now; tell it to them. They choose their own at their next sign-in.</translation>
    </message>
    <message>
        <source>Write a user name: 1 to 64 characters, no spaces.</source>
        <translation>Write a user name: 1 to 64 characters, no spaces.</translation>
    </message>
    <message>
        <source>{user} can now open the settings.</source>
        <translation>{user} can now open the settings.</translation>
    </message>
    <message>
        <source>The password needs at least 10 characters.</source>
        <translation>The password needs at least 10 characters.</translation>
    </message>
    <message>
        <source>The password cannot start or end with spaces.</source>
        <translation>The password cannot start or end with spaces.</translation>
    </message>
    <message>
        <source>The password is too repetitive. Use more different characters.</source>
        <translation>The password is too repetitive. Use more different characters.</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>The two passwords differ. Type the same one twice.</translation>
    </message>
    <message>
        <source>This is the last active administrator: add or enable another one first, so that someone can still open the settings.</source>
        <translation>This is the last active administrator: add or enable another one first, so that someone can still open the settings.</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>You cannot disable your own account.</translation>
    </message>
    <message>
        <source>That user name is taken. Choose another.</source>
        <translation>That user name is taken. Choose another.</translation>
    </message>
</context>
<context>
    <name>AttendancePage</name>
    <message>
        <source>Day</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>Employee</source>
        <translation>Employee</translation>
    </message>
    <message>
        <source>All employees</source>
        <translation>All employees</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Show</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Late</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>&amp;Void record…</source>
        <translation>&amp;Void record…</translation>
    </message>
    <message>
        <source>C&amp;hange record…</source>
        <translation>C&amp;hange record…</translation>
    </message>
    <message>
        <source>&amp;Add record…</source>
        <translation>&amp;Add record…</translation>
    </message>
    <message>
        <source>&amp;Day</source>
        <translation>&amp;Day</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Employee</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Attendance</translation>
    </message>
    <message>
        <source>face</source>
        <translation>face</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>manual</translation>
    </message>
    <message>
        <source>voided: {reason}</source>
        <translation>voided: {reason}</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>valid</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n record</numerusform>
            <numerusform>%n records</numerusform>
        </translation>
    </message>
    <message>
        <source>Void a record</source>
        <translation>Void a record</translation>
    </message>
    <message>
        <source>{kind} of {name} at {time}. The record stays in the log, marked void, with your name and the reason. Add a manual record afterwards if one is needed.</source>
        <translation>{kind} of {name} at {time}. The record stays in the log, marked void, with your name and the reason. Add a manual record afterwards if one is needed.</translation>
    </message>
    <message>
        <source>Record voided.</source>
        <translation>Record voided.</translation>
    </message>
    <message>
        <source>{kind} of {name} at {time}</source>
        <translation>{kind} of {name} at {time}</translation>
    </message>
    <message>
        <source>{kind} recorded for {name} at {time}.</source>
        <translation>{kind} recorded for {name} at {time}.</translation>
    </message>
</context>
<context>
    <name>CameraCaptureTab</name>
    <message>
        <source>&amp;Samples</source>
        <translation>&amp;Samples</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Samples</translation>
    </message>
    <message>
        <source>&amp;Start capture</source>
        <translation>&amp;Start capture</translation>
    </message>
    <message>
        <source>&amp;Cancel capture</source>
        <translation>&amp;Cancel capture</translation>
    </message>
    <message>
        <source>Ask the person to stand alone in front of the camera.</source>
        <translation>Ask the person to stand alone in front of the camera.</translation>
    </message>
    <message>
        <source>What the person should do</source>
        <translation>What the person should do</translation>
    </message>
    <message>
        <source>Waiting for the camera…</source>
        <translation>Waiting for the camera…</translation>
    </message>
    <message>
        <source>%v of %m samples</source>
        <translation>%v of %m samples</translation>
    </message>
    <message>
        <source>Samples taken</source>
        <translation>Samples taken</translation>
    </message>
    <message>
        <source>Faces of the samples taken</source>
        <translation>Faces of the samples taken</translation>
    </message>
    <message>
        <source>✓ Sample {n} of {needed} taken</source>
        <translation>✓ Sample {n} of {needed} taken</translation>
    </message>
    <message>
        <source>✕ Not taken: {why}</source>
        <translation>✕ Not taken: {why}</translation>
    </message>
    <message>
        <source>This face is already enrolled as {who}. If that is a mistake, erase that person&apos;s face data first; otherwise enroll the right employee.</source>
        <translation>This face is already enrolled as {who}. If that is a mistake, erase that person&apos;s face data first; otherwise enroll the right employee.</translation>
    </message>
    <message>
        <source>Sample {n}</source>
        <translation>Sample {n}</translation>
    </message>
    <message>
        <source>Waiting for the head to move: the next sample is taken from another position.</source>
        <translation>Waiting for the head to move: the next sample is taken from another position.</translation>
    </message>
    <message>
        <source>Look straight at the camera.</source>
        <translation>Look straight at the camera.</translation>
    </message>
    <message>
        <source>Turn a little to the left…</source>
        <translation>Turn a little to the left…</translation>
    </message>
    <message>
        <source>Turn a little to the right…</source>
        <translation>Turn a little to the right…</translation>
    </message>
    <message>
        <source>Lift your chin a little…</source>
        <translation>Lift your chin a little…</translation>
    </message>
    <message>
        <source>Lower your chin a little…</source>
        <translation>Lower your chin a little…</translation>
    </message>
    <message>
        <source>A little up and to the left…</source>
        <translation>A little up and to the left…</translation>
    </message>
    <message>
        <source>A little up and to the right…</source>
        <translation>A little up and to the right…</translation>
    </message>
    <message>
        <source>A little down and to the left…</source>
        <translation>A little down and to the left…</translation>
    </message>
    <message>
        <source>A little down and to the right…</source>
        <translation>A little down and to the right…</translation>
    </message>
    <message>
        <source>Move your head a little, any way…</source>
        <translation>Move your head a little, any way…</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <source>A camera number (0 is the first camera), a network camera&apos;s rtsp:// or http:// address, a video file or a folder of images (for trials).</source>
        <translation>A camera number (0 is the first camera), a network camera&apos;s rtsp:// or http:// address, a video file or a folder of images (for trials).</translation>
    </message>
    <message>
        <source>Camera source</source>
        <translation>Camera source</translation>
    </message>
    <message>
        <source>Camera {n}</source>
        <translation>Camera {n}</translation>
    </message>
    <message>
        <source>Video &amp;file…</source>
        <translation>Video &amp;file…</translation>
    </message>
    <message>
        <source>Image f&amp;older…</source>
        <translation>Image f&amp;older…</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Apply</translation>
    </message>
    <message>
        <source>No picture from the camera</source>
        <translation>No picture from the camera</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>&amp;Source</translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation>&amp;Resolution</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Choose a video file</source>
        <translation>Choose a video file</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)</source>
        <translation>Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)</translation>
    </message>
    <message>
        <source>Choose a folder of images</source>
        <translation>Choose a folder of images</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>Lost; reconnecting</source>
        <translation>Lost; reconnecting</translation>
    </message>
    <message>
        <source>The video ended</source>
        <translation>The video ended</translation>
    </message>
    <message>
        <source>Not working</source>
        <translation>Not working</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
</context>
<context>
    <name>CameraText</name>
    <message>
        <source>camera {name}</source>
        <translation>camera {name}</translation>
    </message>
    <message>
        <source>the camera {name}</source>
        <translation>camera {name}</translation>
    </message>
    <message>
        <source>stream {name}</source>
        <translation>stream {name}</translation>
    </message>
    <message>
        <source>the stream {name}</source>
        <translation>stream {name}</translation>
    </message>
    <message>
        <source>video file {name}</source>
        <translation>video file {name}</translation>
    </message>
    <message>
        <source>the video file {name}</source>
        <translation>the video file {name}</translation>
    </message>
    <message>
        <source>image folder {name}</source>
        <translation>image folder {name}</translation>
    </message>
    <message>
        <source>the image folder {name}</source>
        <translation>the image folder {name}</translation>
    </message>
    <message>
        <source>{label} is back ({size}); failed attempts: {n}</source>
        <translation>{label} is back ({size}); failed attempts: {n}</translation>
    </message>
    <message>
        <source>End of the {label}; frames: {n}</source>
        <translation>End of the {label}; frames: {n}</translation>
    </message>
    <message>
        <source>End of the {label}; images: {n}</source>
        <translation>End of the {label}; images: {n}</translation>
    </message>
    <message>
        <source>; unreadable files skipped: {k}</source>
        <translation>; unreadable files skipped: {k}</translation>
    </message>
    <message>
        <source>{label} is not connected ({node} does not exist)</source>
        <translation>{label} is not connected ({node} does not exist)</translation>
    </message>
    <message>
        <source>No permission to use {label} ({node}): add this user to the “video” group</source>
        <translation>No permission to use {label} ({node}): add this user to the “video” group</translation>
    </message>
    <message>
        <source>{label} could not be opened (another program uses it, or it is not a camera)</source>
        <translation>{label} could not be opened (another program uses it, or it is not a camera)</translation>
    </message>
    <message>
        <source>Cannot connect to {label} (unreachable, a wrong address or password, or not a video stream)</source>
        <translation>Cannot connect to {label} (unreachable, a wrong address or password, or not a video stream)</translation>
    </message>
    <message>
        <source>{label} is empty</source>
        <translation>{label} is empty</translation>
    </message>
    <message>
        <source>{label} does not exist</source>
        <translation>{label} does not exist</translation>
    </message>
    <message>
        <source>{label} cannot be read ({why})</source>
        <translation>{label} cannot be read ({why})</translation>
    </message>
    <message>
        <source>{label} cannot be opened as a video (damaged, or a format that cannot be read)</source>
        <translation>{label} cannot be opened as a video (damaged, or a format that cannot be read)</translation>
    </message>
    <message>
        <source>{label} has no files</source>
        <translation>{label} has no files</translation>
    </message>
    <message>
        <source>{label} stopped sending pictures</source>
        <translation>{label} stopped sending pictures</translation>
    </message>
    <message>
        <source>Opening {label}</source>
        <translation>Opening {label}</translation>
    </message>
    <message>
        <source>Showing {label} ({size})</source>
        <translation>Showing {label} ({size})</translation>
    </message>
    <message>
        <source>No picture could be read from {label}</source>
        <translation>No picture could be read from {label}</translation>
    </message>
    <message>
        <source> (the log lists the skipped files)</source>
        <translation> (the log lists the skipped files)</translation>
    </message>
    <message>
        <source>The camera source {raw} was not found. Use a camera number (0, 1, …), /dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of images that exists.</source>
        <translation>The camera source {raw} was not found. Use a camera number (0, 1, …), /dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of images that exists.</translation>
    </message>
    <message>
        <source>The camera source {raw} is neither a video file nor a folder of images.</source>
        <translation>The camera source {raw} is neither a video file nor a folder of images.</translation>
    </message>
    <message>
        <source>Write a camera source: a camera number (0, 1, …), /dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of images.</source>
        <translation>Write a camera source: a camera number (0, 1, …), /dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of images.</translation>
    </message>
    <message>
        <source>{reason}. Trying again in {s} s (attempt {n}).</source>
        <translation>{reason}. Trying again in {s} s (attempt {n}).</translation>
    </message>
    <message>
        <source>{reason}. Gave up; attempts: {n}.</source>
        <translation>{reason}. Gave up; attempts: {n}.</translation>
    </message>
</context>
<context>
    <name>ChangeRecordDialog</name>
    <message>
        <source>Change a record</source>
        <translation>Change a record</translation>
    </message>
    <message>
        <source>{record}. The record stays in the log, marked void, and a manual record with what you choose here replaces it, with your name and the reason.</source>
        <translation>{record}. The record stays in the log, marked void, and a manual record with what you choose here replaces it, with your name and the reason.</translation>
    </message>
    <message>
        <source>Change the record or the time (or cancel).</source>
        <translation>Change the record or the time (or cancel).</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Date and time</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>What the rules expect then</source>
        <translation>What the rules expect then</translation>
    </message>
    <message>
        <source>&amp;When</source>
        <translation>&amp;When</translation>
    </message>
    <message>
        <source>Rec&amp;ord</source>
        <translation>Rec&amp;ord</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>DoneStep</name>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Enroll the first employee</source>
        <translation>Enroll the first employee</translation>
    </message>
    <message>
        <source>Join a central database</source>
        <translation>Join a central database</translation>
    </message>
    <message>
        <source>Go to the kiosk screen</source>
        <translation>Go to the kiosk screen</translation>
    </message>
    <message>
        <source>Add a person, then take their face from the camera.</source>
        <translation>Add a person, then take their face from the camera.</translation>
    </message>
    <message>
        <source>For several kiosks sharing employees and records: the join file made on the server, on a USB stick.</source>
        <translation>For several kiosks sharing employees and records: the join file made on the server, on a USB stick.</translation>
    </message>
    <message>
        <source>Nothing more now; F2 or ⚙ opens the settings later.</source>
        <translation>Nothing more now; F2 or ⚙ opens the settings later.</translation>
    </message>
    <message>
        <source>You are signed in as {user}. What next? Either way you stay in the settings; the kiosk screen is one button away.</source>
        <translation>You are signed in as {user}. What next? Either way you stay in the settings; the kiosk screen is one button away.</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>{m} min</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>{h} h</source>
        <translation>{h} h</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} h {m} min</translation>
    </message>
</context>
<context>
    <name>EmployeeDialog</name>
    <message>
        <source>Edit employee</source>
        <translation>Edit employee</translation>
    </message>
    <message>
        <source>New employee</source>
        <translation>New employee</translation>
    </message>
    <message>
        <source>optional, {low} to {high} digits</source>
        <translation>optional, {low} to {high} digits</translation>
    </message>
    <message>
        <source>&amp;Code</source>
        <translation>&amp;Code</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <source>Write the employee&apos;s code.</source>
        <translation>Write the employee&apos;s code.</translation>
    </message>
    <message>
        <source>Write the employee&apos;s name.</source>
        <translation>Write the employee&apos;s name.</translation>
    </message>
    <message>
        <source>The PIN must be {low} to {high} digits, or empty.</source>
        <translation>The PIN must be {low} to {high} digits, or empty.</translation>
    </message>
</context>
<context>
    <name>EmployeeTable</name>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Face samples</source>
        <translation>Face samples</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Shifts</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>deactivated</translation>
    </message>
</context>
<context>
    <name>EmployeesPage</name>
    <message>
        <source>Everyone who records attendance here. Deactivating keeps their records; erasing biometric data removes their face everywhere, for good.</source>
        <translation>Everyone who records attendance here. Deactivating keeps their records; erasing biometric data removes their face everywhere, for good.</translation>
    </message>
    <message>
        <source>Search by name or code</source>
        <translation>Search by name or code</translation>
    </message>
    <message>
        <source>Search employees</source>
        <translation>Search employees</translation>
    </message>
    <message>
        <source>Show deactivated</source>
        <translation>Show deactivated</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Add…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>Set &amp;PIN…</source>
        <translation>Set &amp;PIN…</translation>
    </message>
    <message>
        <source>Enroll &amp;face…</source>
        <translation>Enroll &amp;face…</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>&amp;Deactivate…</translation>
    </message>
    <message>
        <source>E&amp;rase face data…</source>
        <translation>E&amp;rase face data…</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Employees</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>Re&amp;activate</translation>
    </message>
    <message>
        <source>{name} added.</source>
        <translation>{name} added.</translation>
    </message>
    <message>
        <source>{name} saved.</source>
        <translation>{name} saved.</translation>
    </message>
    <message>
        <source>PIN saved for {name}.</source>
        <translation>PIN saved for {name}.</translation>
    </message>
    <message>
        <source>PIN removed for {name}.</source>
        <translation>PIN removed for {name}.</translation>
    </message>
    <message>
        <source>{name} is active again.</source>
        <translation>{name} is active again.</translation>
    </message>
    <message>
        <source>Deactivate {name}</source>
        <translation>Deactivate {name}</translation>
    </message>
    <message>
        <source>They will no longer be recognised or accepted by PIN. Their records stay, and you can reactivate them later.</source>
        <translation>They will no longer be recognised or accepted by PIN. Their records stay, and you can reactivate them later.</translation>
    </message>
    <message>
        <source>{name} is deactivated.</source>
        <translation>{name} is deactivated.</translation>
    </message>
    <message>
        <source>Erase the face data of {name}</source>
        <translation>Erase the face data of {name}</translation>
    </message>
    <message>
        <source>Deletes every face sample and the enrollment photo of {name}, on this kiosk and, through sync, everywhere. Attendance records stay. This cannot be undone; to use the face again, enroll it again.</source>
        <translation>Deletes every face sample and the enrollment photo of {name}, on this kiosk and, through sync, everywhere. Attendance records stay. This cannot be undone; to use the face again, enroll it again.</translation>
    </message>
    <message>
        <source>I understand that this cannot be undone</source>
        <translation>I understand that this cannot be undone</translation>
    </message>
    <message numerus="yes">
        <source>Face data of {name} erased (%n sample(s)).</source>
        <translation>
            <numerusform>Face data of {name} erased (%n sample).</numerusform>
            <numerusform>Face data of {name} erased (%n samples).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnrollmentPage</name>
    <message>
        <source>Employee to enroll</source>
        <translation>Employee to enroll</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Employee</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>Consent given</translation>
    </message>
    <message>
        <source>From the &amp;camera</source>
        <translation>From the &amp;camera</translation>
    </message>
    <message>
        <source>From &amp;photo files</source>
        <translation>From &amp;photo files</translation>
    </message>
    <message>
        <source>The person agrees that this kiosk keeps their face data to record their attendance. It can be erased at any time from Employees.</source>
        <translation>The person agrees that this kiosk keeps their face data to record their attendance. It can be erased at any time from Employees.</translation>
    </message>
    <message>
        <source>Face enrollment</source>
        <translation>Face enrollment</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n sample</numerusform>
            <numerusform>%n samples</numerusform>
        </translation>
    </message>
    <message>
        <source>Add the employee first, in Employees.</source>
        <translation>Add the employee first, in Employees.</translation>
    </message>
    <message>
        <source>Choose the employee to enroll.</source>
        <translation>Choose the employee to enroll.</translation>
    </message>
    <message>
        <source>Ask for the person&apos;s consent and tick the box before enrolling.</source>
        <translation>Ask for the person&apos;s consent and tick the box before enrolling.</translation>
    </message>
    <message>
        <source>Enrollment stopped: this face is already enrolled. Nothing was saved.</source>
        <translation>Enrollment stopped: this face is already enrolled. Nothing was saved.</translation>
    </message>
    <message>
        <source>Enrollment stopped: this face does not match the faces already enrolled for this employee. Nothing was saved. If it is the same person, erase their face data first, then enroll again.</source>
        <translation>Enrollment stopped: this face does not match the faces already enrolled for this employee. Nothing was saved. If it is the same person, erase their face data first, then enroll again.</translation>
    </message>
    <message>
        <source>Enrollment cancelled. Nothing was saved.</source>
        <translation>Enrollment cancelled. Nothing was saved.</translation>
    </message>
    <message>
        <source>Enrollment did not finish, nothing was saved: {why}</source>
        <translation>Enrollment did not finish, nothing was saved: {why}</translation>
    </message>
    <message numerus="yes">
        <source>Enrollment complete: %n sample(s) saved.</source>
        <translation>
            <numerusform>Enrollment complete: %n sample saved.</numerusform>
            <numerusform>Enrollment complete: %n samples saved.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) enrolled.</source>
        <translation>
            <numerusform>%n photo enrolled.</numerusform>
            <numerusform>%n photos enrolled.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused: see why beside each.</source>
        <translation>
            <numerusform>%n refused: see why beside it.</numerusform>
            <numerusform>%n refused: see why beside each.</numerusform>
        </translation>
    </message>
    <message>
        <source>No photo could be used; nothing was saved. See why beside each.</source>
        <translation>No photo could be used; nothing was saved. See why beside each.</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <source>XLSX (Excel)</source>
        <translation>XLSX (Excel)</translation>
    </message>
    <message>
        <source>All employees</source>
        <translation>All employees</translation>
    </message>
    <message>
        <source>File to write</source>
        <translation>File to write</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>C&amp;hoose…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Export</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Employee</translation>
    </message>
    <message>
        <source>For payroll: each employee&apos;s days (first in, last out, breaks, hours worked, lateness, overtime, missing check-outs, corrections) and the period&apos;s totals (days, hours, absences), with every record (voided ones marked).</source>
        <translation>For payroll: each employee&apos;s days (first in, last out, breaks, hours worked, lateness, overtime, missing check-outs, corrections) and the period&apos;s totals (days, hours, absences), with every record (voided ones marked).</translation>
    </message>
    <message>
        <source>For spreadsheets (Excel, LibreOffice)</source>
        <translation>For spreadsheets (Excel, LibreOffice)</translation>
    </message>
    <message>
        <source>Plain CSV (RFC 4180)</source>
        <translation>Plain CSV (RFC 4180)</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>Pay period…</source>
        <translation>Pay period…</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>&amp;Period</translation>
    </message>
    <message>
        <source>&amp;Dates</source>
        <translation>&amp;Dates</translation>
    </message>
    <message>
        <source>CSV f&amp;orm</source>
        <translation>CSV f&amp;orm</translation>
    </message>
    <message>
        <source>&amp;Save to</source>
        <translation>&amp;Save to</translation>
    </message>
    <message>
        <source>F&amp;ile</source>
        <translation>F&amp;ile</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>This period ({span})</source>
        <translation>This period ({span})</translation>
    </message>
    <message>
        <source>Previous period ({span})</source>
        <translation>Previous period ({span})</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>Custom dates</translation>
    </message>
    <message>
        <source>USB drive {label}</source>
        <translation>USB drive {label}</translation>
    </message>
    <message>
        <source>This kiosk&apos;s exports folder</source>
        <translation>This kiosk&apos;s exports folder</translation>
    </message>
    <message>
        <source>Another place (Choose…)</source>
        <translation>Another place (Choose…)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>Excel files (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Export to</translation>
    </message>
    <message>
        <source>The period ends before it starts. Correct the dates.</source>
        <translation>The period ends before it starts. Correct the dates.</translation>
    </message>
    <message>
        <source>Choose the file to write.</source>
        <translation>Choose the file to write.</translation>
    </message>
    <message>
        <source>on the USB drive {label}</source>
        <translation>on the USB drive {label}</translation>
    </message>
    <message>
        <source>in {folder}</source>
        <translation>in {folder}</translation>
    </message>
    <message>
        <source>Saved {where}: {name} and {count} more files beside it.</source>
        <translation>Saved {where}: {name} and {count} more files beside it.</translation>
    </message>
    <message>
        <source>Saved {where}: {name}.</source>
        <translation>Saved {where}: {name}.</translation>
    </message>
</context>
<context>
    <name>FirstRunScreen</name>
    <message>
        <source>Setting up Asistencia</source>
        <translation>Setting up Asistencia</translation>
    </message>
    <message>
        <source>← &amp;Back</source>
        <translation>← &amp;Back</translation>
    </message>
    <message>
        <source>S&amp;kip this step</source>
        <translation>S&amp;kip this step</translation>
    </message>
    <message>
        <source>&amp;Next →</source>
        <translation>&amp;Next →</translation>
    </message>
    <message>
        <source>Step {n} of {total}</source>
        <translation>Step {n} of {total}</translation>
    </message>
    <message>
        <source>Creating your account…</source>
        <translation>Creating your account…</translation>
    </message>
    <message>
        <source>Saved, but an environment variable still decides: {names}. Remove it from the kiosk&apos;s environment for your choice to apply.</source>
        <translation>Saved, but an environment variable still decides: {names}. Remove it from the kiosk&apos;s environment for your choice to apply.</translation>
    </message>
</context>
<context>
    <name>JoinPanel</name>
    <message>
        <source>Plug in the USB stick with the join file made on the server (central add-kiosk), choose the file and type the passphrase printed with it. The kiosk takes the deployment&apos;s keys and the database&apos;s address, then syncs.</source>
        <translation>Plug in the USB stick with the join file made on the server (central add-kiosk), choose the file and type the passphrase printed with it. The kiosk takes the deployment&apos;s keys and the database&apos;s address, then syncs.</translation>
    </message>
    <message>
        <source>Join &amp;file</source>
        <translation>Join &amp;file</translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <source>Join file</source>
        <translation>Join file</translation>
    </message>
    <message>
        <source>Join file&apos;s path</source>
        <translation>Join file&apos;s path</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>C&amp;hoose…</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Join</translation>
    </message>
    <message>
        <source>This kiosk already syncs with {central}. Joining again replaces it; you will be asked to confirm.</source>
        <translation>This kiosk already syncs with {central}. Joining again replaces it; you will be asked to confirm.</translation>
    </message>
    <message>
        <source>the groups printed with the file, e.g. 7K2QM-…</source>
        <translation>the groups printed with the file, e.g. 7K2QM-…</translation>
    </message>
    <message>
        <source>{count} of {total} characters: {groups}</source>
        <translation>{count} of {total} characters: {groups}</translation>
    </message>
    <message>
        <source>Case, spaces and hyphens do not matter; pasting works too.</source>
        <translation>Case, spaces and hyphens do not matter; pasting works too.</translation>
    </message>
    <message>
        <source>{name} on the USB drive {label}</source>
        <translation>{name} on the USB drive {label}</translation>
    </message>
    <message>
        <source>Another file (Choose…)</source>
        <translation>Another file (Choose…)</translation>
    </message>
    <message>
        <source>The join file</source>
        <translation>The join file</translation>
    </message>
    <message>
        <source>Join files (*.join);;All files (*)</source>
        <translation>Join files (*.join);;All files (*)</translation>
    </message>
    <message>
        <source>Choose the join file: one on the USB stick, or Choose… for another.</source>
        <translation>Choose the join file: one on the USB stick, or Choose… for another.</translation>
    </message>
    <message>
        <source>There is no file at {path}. Check that the USB stick is plugged in, or choose the file again.</source>
        <translation>There is no file at {path}. Check that the USB stick is plugged in, or choose the file again.</translation>
    </message>
    <message>
        <source>Type the passphrase printed with the join file.</source>
        <translation>Type the passphrase printed with the join file.</translation>
    </message>
    <message>
        <source>Join another central database?</source>
        <translation>Join another central database?</translation>
    </message>
    <message>
        <source>This kiosk syncs with {central} now. Joining with this file replaces that database&apos;s address and password; records not sent yet stay on this kiosk.</source>
        <translation>This kiosk syncs with {central} now. Joining with this file replaces that database&apos;s address and password; records not sent yet stay on this kiosk.</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Join</translation>
    </message>
    <message>
        <source>Joining: opening the file, connecting to the central database, first sync… This can take a minute.</source>
        <translation>Joining: opening the file, connecting to the central database, first sync… This can take a minute.</translation>
    </message>
    <message>
        <source>site {site}</source>
        <translation>site {site}</translation>
    </message>
    <message>
        <source>no site: it receives every employee</source>
        <translation>no site: it receives every employee</translation>
    </message>
    <message>
        <source>Joined the central database {central}.</source>
        <translation>Joined the central database {central}.</translation>
    </message>
    <message>
        <source>This kiosk is {kiosk} ({site}).</source>
        <translation>This kiosk is {kiosk} ({site}).</translation>
    </message>
    <message>
        <source>Joining…</source>
        <translation>Joining…</translation>
    </message>
</context>
<context>
    <name>JoinStep</name>
    <message>
        <source>Join a central database</source>
        <translation>Join a central database</translation>
    </message>
    <message>
        <source>Type the database&apos;s address instead…</source>
        <translation>Type the database&apos;s address instead…</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Letters</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>Digits</translation>
    </message>
</context>
<context>
    <name>Kinds</name>
    <message>
        <source>Check-in</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <source>Check-out</source>
        <translation>Check-out</translation>
    </message>
    <message>
        <source>Break start</source>
        <translation>Break start</translation>
    </message>
    <message>
        <source>Break end</source>
        <translation>Break end</translation>
    </message>
</context>
<context>
    <name>KioskPage</name>
    <message>
        <source>Automatic (system language; Spanish otherwise)</source>
        <translation>Automatic (system language; Spanish otherwise)</translation>
    </message>
    <message>
        <source>Ask: check-in, check-out or a break</source>
        <translation>Ask: check-in, check-out or a break</translation>
    </message>
    <message>
        <source>Alternate check-in and check-out</source>
        <translation>Alternate check-in and check-out</translation>
    </message>
    <message>
        <source>Fill the whole screen</source>
        <translation>Fill the whole screen</translation>
    </message>
    <message>
        <source>Play a sound on each record</source>
        <translation>Play a sound on each record</translation>
    </message>
    <message>
        <source>&amp;Try the sound</source>
        <translation>&amp;Try the sound</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>This kiosk</source>
        <translation>This kiosk</translation>
    </message>
    <message>
        <source>&amp;Name on screen</source>
        <translation>&amp;Name on screen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;Time zone</source>
        <translation>&amp;Time zone</translation>
    </message>
    <message>
        <source>After a face or &amp;PIN</source>
        <translation>After a face or &amp;PIN</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Full screen</translation>
    </message>
    <message>
        <source>Sounds</source>
        <translation>Sounds</translation>
    </message>
    <message>
        <source>Change &amp;password</source>
        <translation>Change &amp;password</translation>
    </message>
    <message>
        <source>Your account: {user}</source>
        <translation>Your account: {user}</translation>
    </message>
    <message>
        <source>New pass&amp;word</source>
        <translation>New pass&amp;word</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repeat it</translation>
    </message>
    <message>
        <source>&amp;Close Asistencia</source>
        <translation>&amp;Close Asistencia</translation>
    </message>
    <message>
        <source>The kiosk stops recording until the program is started again.</source>
        <translation>The kiosk stops recording until the program is started again.</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Kiosk</translation>
    </message>
    <message>
        <source>Kiosk id {id} · time zone {zone} · data in {path}</source>
        <translation>Kiosk id {id} · time zone {zone} · data in {path}</translation>
    </message>
    <message>
        <source>Write the kiosk&apos;s name.</source>
        <translation>Write the kiosk&apos;s name.</translation>
    </message>
    <message>
        <source>“{zone}” is not a time zone. Type part of a city and choose it in the list, e.g. Europe/Madrid.</source>
        <translation>“{zone}” is not a time zone. Type part of a city and choose it in the list, e.g. Europe/Madrid.</translation>
    </message>
    <message>
        <source>What the shift expects, with “Change”</source>
        <translation>What the shift expects, with “Change”</translation>
    </message>
    <message>
        <source>Recommended. Nobody taps anything when the record is the expected one (in the morning, out in the evening, a first exit mid-shift is the break); the card offers to change it for a few seconds.</source>
        <translation>Recommended. Nobody taps anything when the record is the expected one (in the morning, out in the evening, a first exit mid-shift is the break); the card offers to change it for a few seconds.</translation>
    </message>
    <message>
        <source>After each face or PIN the employee taps check-in, check-out, break start or break end; the expected one is highlighted and taken after a few seconds.</source>
        <translation>After each face or PIN the employee taps check-in, check-out, break start or break end; the expected one is highlighted and taken after a few seconds.</translation>
    </message>
    <message>
        <source>Each record is the opposite of the last one. Breaks are not recorded at the kiosk (an administrator can add them).</source>
        <translation>Each record is the opposite of the last one. Breaks are not recorded at the kiosk (an administrator can add them).</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>The two passwords differ. Type the same one twice.</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>Password changed.</translation>
    </message>
    <message>
        <source>Close Asistencia</source>
        <translation>Close Asistencia</translation>
    </message>
    <message>
        <source>Nobody can record attendance at this kiosk until the program is started again (or the computer restarts).</source>
        <translation>Nobody can record attendance at this kiosk until the program is started again (or the computer restarts).</translation>
    </message>
</context>
<context>
    <name>KioskScreen</name>
    <message>
        <source>Opening the camera…</source>
        <translation>Opening the camera…</translation>
    </message>
    <message>
        <source>Use code and PIN</source>
        <translation>Use code and PIN</translation>
    </message>
    <message>
        <source>Or type your code on the keyboard</source>
        <translation>Or type your code on the keyboard</translation>
    </message>
    <message>
        <source>We could not recognise your face. Use your code and PIN.</source>
        <translation>We could not recognise your face. Use your code and PIN.</translation>
    </message>
    <message>
        <source>Face recognition is not available. Record with your code and PIN.</source>
        <translation>Face recognition is not available. Record with your code and PIN.</translation>
    </message>
    <message>
        <source>Getting ready… Meanwhile you can record with your code and PIN.</source>
        <translation>Getting ready… Meanwhile you can record with your code and PIN.</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>Look at the camera</translation>
    </message>
    <message>
        <source>Checking… hold still</source>
        <translation>Checking… hold still</translation>
    </message>
    <message>
        <source>Please blink</source>
        <translation>Please blink</translation>
    </message>
    <message>
        <source>Hello, {name}</source>
        <translation>Hello, {name}</translation>
    </message>
    <message>
        <source>Not recognised. Try again, or use your code and PIN.</source>
        <translation>Not recognised. Try again, or use your code and PIN.</translation>
    </message>
    <message>
        <source>For the administrator: {reason}</source>
        <translation>For the administrator: {reason}</translation>
    </message>
    <message>
        <source>Nobody is enrolled yet: an administrator presses F2 or the ⚙ button to begin.</source>
        <translation>Nobody is enrolled yet: an administrator presses F2 or the ⚙ button to begin.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Asistencia — {name}</source>
        <translation>Asistencia — {name}</translation>
    </message>
</context>
<context>
    <name>LanguageStep</name>
    <message>
        <source>Welcome. Which language?</source>
        <translation>Welcome. Which language?</translation>
    </message>
    <message>
        <source>The kiosk and its settings will speak it. You can change it later.</source>
        <translation>The kiosk and its settings will speak it. You can change it later.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>For administrators. Sign in to continue.</source>
        <translation>For administrators. Sign in to continue.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>Repeat the new password</translation>
    </message>
    <message>
        <source>&amp;Save and continue</source>
        <translation>&amp;Save and continue</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;User</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>&amp;New password</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repeat it</translation>
    </message>
    <message>
        <source>← Back to the kiosk (Esc)</source>
        <translation>← Back to the kiosk (Esc)</translation>
    </message>
    <message>
        <source>First start: sign in as “{user}” with the one-time password in {file} (readable only by this computer&apos;s kiosk account), then choose your own.</source>
        <translation>First start: sign in as “{user}” with the one-time password in {file} (readable only by this computer&apos;s kiosk account), then choose your own.</translation>
    </message>
    <message>
        <source>Write your user name and password.</source>
        <translation>Write your user name and password.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Your password was generated at installation. Choose your own now.</source>
        <translation>Your password was generated at installation. Choose your own now.</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>The two passwords differ. Type the same one twice.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Wrong user name or password, or the account is locked after too many failed attempts. Check both and try again later, or ask another administrator to unlock it.</source>
        <translation>Wrong user name or password, or the account is locked after too many failed attempts. Check both and try again later, or ask another administrator to unlock it.</translation>
    </message>
    <message>
        <source>Wrong PIN. The PIN of {code} is now locked for {wait}; an administrator can record your attendance meanwhile.</source>
        <translation>Wrong PIN. The PIN of {code} is now locked for {wait}; an administrator can record your attendance meanwhile.</translation>
    </message>
    <message>
        <source>The PIN of {code} is locked after too many wrong attempts. Try again in {wait}, or ask an administrator.</source>
        <translation>The PIN of {code} is locked after too many wrong attempts. Try again in {wait}, or ask an administrator.</translation>
    </message>
    <message>
        <source>Wrong PIN. Check it and try again.</source>
        <translation>Wrong PIN. Check it and try again.</translation>
    </message>
    <message>
        <source>Write the reason for the correction.</source>
        <translation>Write the reason for the correction.</translation>
    </message>
    <message>
        <source>A correction is for something that happened: choose a past time.</source>
        <translation>A correction is for something that happened: choose a past time.</translation>
    </message>
    <message>
        <source>The {next} at {when} would no longer follow a {kind} at {at}. Change that record instead.</source>
        <translation>The {next} at {when} would no longer follow a {kind} at {at}. Change that record instead.</translation>
    </message>
    <message>
        <source>That took too long. Please start again.</source>
        <translation>That took too long. Please start again.</translation>
    </message>
    <message>
        <source>That record can no longer be changed here. Ask an administrator.</source>
        <translation>That record can no longer be changed here. Ask an administrator.</translation>
    </message>
    <message>
        <source>There is no employee with code {code}. Check the code and try again.</source>
        <translation>There is no employee with code {code}. Check the code and try again.</translation>
    </message>
    <message>
        <source>Employee {code} is deactivated. An administrator can reactivate them in Settings, Employees.</source>
        <translation>Employee {code} is deactivated. An administrator can reactivate them in Settings, Employees.</translation>
    </message>
    <message>
        <source>An employee with code {code} already exists. Choose another code.</source>
        <translation>An employee with code {code} already exists. Choose another code.</translation>
    </message>
    <message>
        <source>Write the employee&apos;s name.</source>
        <translation>Write the employee&apos;s name.</translation>
    </message>
    <message>
        <source>The name can have at most {n} characters (this one has {has}).</source>
        <translation>The name can have at most {n} characters (this one has {has}).</translation>
    </message>
    <message>
        <source>The employee code must be 1 to {n} characters, without spaces.</source>
        <translation>The employee code must be 1 to {n} characters, without spaces.</translation>
    </message>
    <message>
        <source>The PIN must be {low} to {high} digits.</source>
        <translation>The PIN must be {low} to {high} digits.</translation>
    </message>
    <message>
        <source>The PIN cannot be one digit repeated. Choose another PIN.</source>
        <translation>The PIN cannot be one digit repeated. Choose another PIN.</translation>
    </message>
    <message>
        <source>The password needs at least {n} characters.</source>
        <translation>The password needs at least {n} characters.</translation>
    </message>
    <message>
        <source>The password cannot start or end with spaces.</source>
        <translation>The password cannot start or end with spaces.</translation>
    </message>
    <message>
        <source>The password is too repetitive. Use more different characters.</source>
        <translation>The password is too repetitive. Use more different characters.</translation>
    </message>
    <message>
        <source>That record is already voided.</source>
        <translation>That record is already voided.</translation>
    </message>
    <message>
        <source>Write why the biometric data is being erased.</source>
        <translation>Write why the biometric data is being erased.</translation>
    </message>
    <message>
        <source>There is no shift named {name}. Reload the list and try again.</source>
        <translation>There is no shift named {name}. Reload the list and try again.</translation>
    </message>
    <message>
        <source>A shift named {name} already exists. Choose another name.</source>
        <translation>A shift named {name} already exists. Choose another name.</translation>
    </message>
    <message>
        <source>A shift cannot start and end at the same time. Change one of them.</source>
        <translation>A shift cannot start and end at the same time. Change one of them.</translation>
    </message>
    <message>
        <source>Write the shift&apos;s name (at most {n} characters).</source>
        <translation>Write the shift&apos;s name (at most {n} characters).</translation>
    </message>
    <message>
        <source>Tick at least one day for the shift.</source>
        <translation>Tick at least one day for the shift.</translation>
    </message>
    <message>
        <source>Grace minutes are 0 to 240.</source>
        <translation>Grace minutes are 0 to 240.</translation>
    </message>
    <message>
        <source>The assignment ends before it starts.</source>
        <translation>The assignment ends before it starts.</translation>
    </message>
    <message>
        <source>Could not save — the disk is full. Call an administrator.</source>
        <translation>Could not save — the disk is full. Call an administrator.</translation>
    </message>
    <message>
        <source>Could not save — the kiosk&apos;s disk cannot be written. Call an administrator.</source>
        <translation>Could not save — the kiosk&apos;s disk cannot be written. Call an administrator.</translation>
    </message>
    <message>
        <source>Could not write {path} ({why}). Choose another folder or file name.</source>
        <translation>Could not write {path} ({why}). Choose another folder or file name.</translation>
    </message>
    <message>
        <source>Not possible then: the employee was not checked in at that time.</source>
        <translation>Not possible then: the employee was not checked in at that time.</translation>
    </message>
    <message>
        <source>Not possible then: the employee was already checked in.</source>
        <translation>Not possible then: the employee was already checked in.</translation>
    </message>
    <message>
        <source>Not possible then: the employee was on a break at that time.</source>
        <translation>Not possible then: the employee was on a break at that time.</translation>
    </message>
    <message>
        <source>That record is not possible at that time.</source>
        <translation>That record is not possible at that time.</translation>
    </message>
    <message>
        <source>That value is not allowed. Correct it and save again.</source>
        <translation>That value is not allowed. Correct it and save again.</translation>
    </message>
    <message>
        <source>The request was refused. The reason is below.</source>
        <translation>The request was refused. The reason is below.</translation>
    </message>
    <message>
        <source>The file could not be read or written. Check the path and try again.</source>
        <translation>The file could not be read or written. Check the path and try again.</translation>
    </message>
    <message>
        <source>Something went wrong. Try again; if it keeps happening, tell the person who looks after this kiosk (the details are in the log file).</source>
        <translation>Something went wrong. Try again; if it keeps happening, tell the person who looks after this kiosk (the details are in the log file).</translation>
    </message>
    <message>
        <source>{kind} at {time}. If this is a new record, wait {wait}.</source>
        <translation>{kind} at {time}. If this is a new record, wait {wait}.</translation>
    </message>
    <message>
        <source>Already recorded a moment ago. If this is a new check, try again in {wait}.</source>
        <translation>Already recorded a moment ago. If this is a new check, try again in {wait}.</translation>
    </message>
    <message>
        <source>That record does not follow your last one. Choose another, or ask an administrator.</source>
        <translation>That record does not follow your last one. Choose another, or ask an administrator.</translation>
    </message>
    <message>
        <source>Not recorded: the kiosk&apos;s clock is behind your last record. Please tell an administrator.</source>
        <translation>Not recorded: the kiosk&apos;s clock is behind your last record. Please tell an administrator.</translation>
    </message>
    <message>
        <source>Records cannot be saved: the disk is full. Call an administrator.</source>
        <translation>Records cannot be saved: the disk is full. Call an administrator.</translation>
    </message>
    <message>
        <source>Records cannot be saved: the kiosk&apos;s disk cannot be written. Call an administrator.</source>
        <translation>Records cannot be saved: the kiosk&apos;s disk cannot be written. Call an administrator.</translation>
    </message>
    <message>
        <source>Come a little closer</source>
        <translation>Come a little closer</translation>
    </message>
    <message>
        <source>Hold still for a moment</source>
        <translation>Hold still for a moment</translation>
    </message>
    <message>
        <source>Too dark: face the light</source>
        <translation>Too dark: face the light</translation>
    </message>
    <message>
        <source>Too bright: step out of the glare</source>
        <translation>Too bright: step out of the glare</translation>
    </message>
    <message>
        <source>Look straight at the camera</source>
        <translation>Look straight at the camera</translation>
    </message>
    <message>
        <source>One person at a time, please</source>
        <translation>One person at a time, please</translation>
    </message>
    <message>
        <source>No face found: look at the camera</source>
        <translation>No face found: look at the camera</translation>
    </message>
    <message>
        <source>This face is already enrolled for someone else</source>
        <translation>This face is already enrolled for someone else</translation>
    </message>
    <message>
        <source>This sample does not match the others: the same person only</source>
        <translation>This sample does not match the others: the same person only</translation>
    </message>
    <message>
        <source>This face does not match the faces already enrolled for this employee</source>
        <translation>This face does not match the faces already enrolled for this employee</translation>
    </message>
    <message>
        <source>The picture could not be read</source>
        <translation>The picture could not be read</translation>
    </message>
    <message>
        <source>This looks like a photo or a screen. Face the camera yourself, or use code and PIN.</source>
        <translation>This looks like a photo or a screen. Face the camera yourself, or use code and PIN.</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>Look at the camera</translation>
    </message>
</context>
<context>
    <name>NoCameraPanel</name>
    <message>
        <source>Choose a camera (administrators)</source>
        <translation>Choose a camera (administrators)</translation>
    </message>
    <message>
        <source>Record with code and PIN</source>
        <translation>Record with code and PIN</translation>
    </message>
    <message>
        <source>An administrator can choose another camera in Settings (⚙ or F2), Camera.</source>
        <translation>An administrator can choose another camera in Settings (⚙ or F2), Camera.</translation>
    </message>
    <message>
        <source>The camera was lost</source>
        <translation>The camera was lost</translation>
    </message>
    <message>
        <source>Waiting for the camera</source>
        <translation>Waiting for the camera</translation>
    </message>
    <message>
        <source>Trying again in {s} s (attempt {n}).</source>
        <translation>Trying again in {s} s (attempt {n}).</translation>
    </message>
    <message>
        <source>Trying again (attempt {n}).</source>
        <translation>Trying again (attempt {n}).</translation>
    </message>
    <message>
        <source>Check the camera&apos;s cable or its network connection.</source>
        <translation>Check the camera&apos;s cable or its network connection.</translation>
    </message>
    <message>
        <source>The video has ended</source>
        <translation>The video has ended</translation>
    </message>
    <message>
        <source>The camera source is a video file and it reached its end.</source>
        <translation>The camera source is a video file and it reached its end.</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>No camera</translation>
    </message>
    <message>
        <source>The kiosk cannot open its camera. Check that it is connected and on.</source>
        <translation>The kiosk cannot open its camera. Check that it is connected and on.</translation>
    </message>
</context>
<context>
    <name>OnscreenKeyboard</name>
    <message>
        <source>Capital letters</source>
        <translation>Capital letters</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>space</source>
        <translation>space</translation>
    </message>
    <message>
        <source>Enter ↵</source>
        <translation>Enter ↵</translation>
    </message>
    <message>
        <source>Hide the keyboard</source>
        <translation>Hide the keyboard</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Letters</translation>
    </message>
    <message>
        <source>Symbols</source>
        <translation>Symbols</translation>
    </message>
</context>
<context>
    <name>PayPeriodDialog</name>
    <message>
        <source>Pay period</source>
        <translation>Pay period</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Monthly</translation>
    </message>
    <message>
        <source>Twice a month</source>
        <translation>Twice a month</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <source>&amp;Paid</source>
        <translation>&amp;Paid</translation>
    </message>
    <message>
        <source>&amp;Starts on day</source>
        <translation>&amp;Starts on day</translation>
    </message>
    <message>
        <source>Starts &amp;on</source>
        <translation>Starts &amp;on</translation>
    </message>
    <message>
        <source>A week from the chosen day to the day before it.</source>
        <translation>A week from the chosen day to the day before it.</translation>
    </message>
    <message>
        <source>From day {a} and from day {b} of each month.</source>
        <translation>From day {a} and from day {b} of each month.</translation>
    </message>
    <message>
        <source>From day {day} of a month to the day before it in the next.</source>
        <translation>From day {day} of a month to the day before it in the next.</translation>
    </message>
</context>
<context>
    <name>PhotoFilesTab</name>
    <message>
        <source>Choose one or more photos of this person, alone and facing the camera (a USB stick, a folder). Each photo is checked as a camera sample is; the good ones are saved.</source>
        <translation>Choose one or more photos of this person, alone and facing the camera (a USB stick, a folder). Each photo is checked as a camera sample is; the good ones are saved.</translation>
    </message>
    <message>
        <source>C&amp;hoose photos…</source>
        <translation>C&amp;hoose photos…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>%v of %m photos</source>
        <translation>%v of %m photos</translation>
    </message>
    <message>
        <source>Photos checked</source>
        <translation>Photos checked</translation>
    </message>
    <message>
        <source>Photos of the person</source>
        <translation>Photos of the person</translation>
    </message>
    <message>
        <source>Photos ({patterns})</source>
        <translation>Photos ({patterns})</translation>
    </message>
    <message>
        <source>… {name}: waiting</source>
        <translation>… {name}: waiting</translation>
    </message>
    <message>
        <source>✓ {name}: taken</source>
        <translation>✓ {name}: taken</translation>
    </message>
    <message>
        <source>✕ {name}: {why}</source>
        <translation>✕ {name}: {why}</translation>
    </message>
    <message>
        <source>the file cannot be opened (moved, deleted, or not allowed)</source>
        <translation>the file cannot be opened (moved, deleted, or not allowed)</translation>
    </message>
    <message>
        <source>the file is too large to be a photo (over 40 MB or 60 megapixels)</source>
        <translation>the file is too large to be a photo (over 40 MB or 60 megapixels)</translation>
    </message>
    <message>
        <source>the file is damaged or is not a picture</source>
        <translation>the file is damaged or is not a picture</translation>
    </message>
    <message>
        <source>the file cannot be read</source>
        <translation>the file cannot be read</translation>
    </message>
    <message numerus="yes">
        <source>%n faces in the photo; use one of the person alone</source>
        <translation>
            <numerusform>%n face in the photo; use one of the person alone</numerusform>
            <numerusform>%n faces in the photo; use one of the person alone</numerusform>
        </translation>
    </message>
    <message>
        <source>this face is already enrolled as {who}</source>
        <translation>this face is already enrolled as {who}</translation>
    </message>
    <message>
        <source>no face found</source>
        <translation>no face found</translation>
    </message>
    <message>
        <source>the face is too small; use a closer or larger photo</source>
        <translation>the face is too small; use a closer or larger photo</translation>
    </message>
    <message>
        <source>the face is blurred</source>
        <translation>the face is blurred</translation>
    </message>
    <message>
        <source>the face is too dark</source>
        <translation>the face is too dark</translation>
    </message>
    <message>
        <source>the face is overexposed</source>
        <translation>the face is overexposed</translation>
    </message>
    <message>
        <source>the face is turned away from the camera</source>
        <translation>the face is turned away from the camera</translation>
    </message>
    <message>
        <source>this face does not match the faces already enrolled for this employee</source>
        <translation>this face does not match the faces already enrolled for this employee</translation>
    </message>
    <message>
        <source>this face does not look like the other photos</source>
        <translation>this face does not look like the other photos</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>PIN for {who}</source>
        <translation>PIN for {who}</translation>
    </message>
    <message>
        <source>Remove the PIN (face only)</source>
        <translation>Remove the PIN (face only)</translation>
    </message>
    <message>
        <source>New &amp;PIN</source>
        <translation>New &amp;PIN</translation>
    </message>
    <message>
        <source>&amp;Repeat</source>
        <translation>&amp;Repeat</translation>
    </message>
    <message>
        <source>The PIN must be {low} to {high} digits.</source>
        <translation>The PIN must be {low} to {high} digits.</translation>
    </message>
    <message>
        <source>The two PINs differ. Type the same PIN twice.</source>
        <translation>The two PINs differ. Type the same PIN twice.</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Record with your code and PIN</source>
        <translation>Record with your code and PIN</translation>
    </message>
    <message>
        <source>Employee code</source>
        <translation>Employee code</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Record ✓</source>
        <translation>Record ✓</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>PunchChooser</name>
    <message>
        <source>Keep it as it is</source>
        <translation>Keep it as it is</translation>
    </message>
    <message>
        <source>What are you recording?</source>
        <translation>What are you recording?</translation>
    </message>
    <message>
        <source>Recorded as {kind}. What was it?</source>
        <translation>Recorded as {kind}. What was it?</translation>
    </message>
    <message>
        <source>Nothing changes if you do not choose ({seconds} s).</source>
        <translation>Nothing changes if you do not choose ({seconds} s).</translation>
    </message>
    <message>
        <source>{kind} will be recorded in {seconds} s.</source>
        <translation>{kind} will be recorded in {seconds} s.</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Look in:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Files of &amp;type:</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Required: it is kept in the audit log</source>
        <translation>Required: it is kept in the audit log</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>Write the reason (at least a few words).</source>
        <translation>Write the reason (at least a few words).</translation>
    </message>
    <message>
        <source>Tick the box to confirm.</source>
        <translation>Tick the box to confirm.</translation>
    </message>
</context>
<context>
    <name>RecognitionPage</name>
    <message>
        <source>Changes apply at once; a different model or detector is loaded in the background while the kiosk keeps accepting PINs.</source>
        <translation>Changes apply at once; a different model or detector is loaded in the background while the kiosk keeps accepting PINs.</translation>
    </message>
    <message>
        <source>{name} (needs the dlib extra)</source>
        <translation>{name} (needs the dlib extra)</translation>
    </message>
    <message>
        <source>{name} (needs its weights)</source>
        <translation>{name} (needs its weights)</translation>
    </message>
    <message>
        <source>Lower is stricter: fewer mistaken matches, more people asked to retry.</source>
        <translation>Lower is stricter: fewer mistaken matches, more people asked to retry.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Off</translation>
    </message>
    <message>
        <source>Ask for a blink</source>
        <translation>Ask for a blink</translation>
    </message>
    <message>
        <source>Refuse photos and screens (passive)</source>
        <translation>Refuse photos and screens (passive)</translation>
    </message>
    <message>
        <source>Both: passive and a blink</source>
        <translation>Both: passive and a blink</translation>
    </message>
    <message>
        <source>Strict</source>
        <translation>Strict</translation>
    </message>
    <message>
        <source>Normal (recommended)</source>
        <translation>Normal (recommended)</translation>
    </message>
    <message>
        <source>Lenient</source>
        <translation>Lenient</translation>
    </message>
    <message>
        <source>Custom (see Advanced)</source>
        <translation>Custom (see Advanced)</translation>
    </message>
    <message>
        <source>Sure of every match: more pictures must agree and the face must be closer to the enrolled one. Some people may be asked to try again.</source>
        <translation>Sure of every match: more pictures must agree and the face must be closer to the enrolled one. Some people may be asked to try again.</translation>
    </message>
    <message>
        <source>The balance calibrated for this model: no mistaken match in its tests.</source>
        <translation>The balance calibrated for this model: no mistaken match in its tests.</translation>
    </message>
    <message>
        <source>Quicker, fewer people asked to retry; two people who look alike may be taken for each other.</source>
        <translation>Quicker, fewer people asked to retry; two people who look alike may be taken for each other.</translation>
    </message>
    <message>
        <source>The numbers under Advanced were set by hand.</source>
        <translation>The numbers under Advanced were set by hand.</translation>
    </message>
    <message>
        <source>Advanced settings ▾</source>
        <translation>Advanced settings ▾</translation>
    </message>
    <message>
        <source>Higher: more photos and screens refused, more real people asked to retry.</source>
        <translation>Higher: more photos and screens refused, more real people asked to retry.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Undo changes</source>
        <translation>&amp;Undo changes</translation>
    </message>
    <message>
        <source>How &amp;sure before recording</source>
        <translation>How &amp;sure before recording</translation>
    </message>
    <message>
        <source>Advanced settings ▸</source>
        <translation>Advanced settings ▸</translation>
    </message>
    <message>
        <source>Advanced: the raw numbers</source>
        <translation>Advanced: the raw numbers</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Model</translation>
    </message>
    <message>
        <source>&amp;Detector</source>
        <translation>&amp;Detector</translation>
    </message>
    <message>
        <source>Match &amp;threshold</source>
        <translation>Match &amp;threshold</translation>
    </message>
    <message>
        <source>&amp;Frames that must agree</source>
        <translation>&amp;Frames that must agree</translation>
    </message>
    <message>
        <source>&amp;Liveness</source>
        <translation>&amp;Liveness</translation>
    </message>
    <message>
        <source>&amp;Photo and screen threshold</source>
        <translation>&amp;Photo and screen threshold</translation>
    </message>
    <message>
        <source>&amp;Cooldown for the same person</source>
        <translation>&amp;Cooldown for the same person</translation>
    </message>
    <message>
        <source>Smallest &amp;face</source>
        <translation>Smallest &amp;face</translation>
    </message>
    <message>
        <source>Recognition</source>
        <translation>Recognition</translation>
    </message>
    <message>
        <source>Calibrated value ({value})</source>
        <translation>Calibrated value ({value})</translation>
    </message>
    <message>
        <source>Calibrated value</source>
        <translation>Calibrated value</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <source>Not right? Change</source>
        <translation>Not right? Change</translation>
    </message>
    <message>
        <source>Recorded with PIN</source>
        <translation>Recorded with PIN</translation>
    </message>
    <message>
        <source>Recorded manually</source>
        <translation>Recorded manually</translation>
    </message>
    <message>
        <source>Late by {time}</source>
        <translation>Late by {time}</translation>
    </message>
    <message>
        <source>Leaving {time} before the end of the shift</source>
        <translation>Leaving {time} before the end of the shift</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>Not recorded</translation>
    </message>
    <message>
        <source>Already recorded</source>
        <translation>Already recorded</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Not saved</translation>
    </message>
</context>
<context>
    <name>ShiftDialog</name>
    <message>
        <source>Edit shift</source>
        <translation>Edit shift</translation>
    </message>
    <message>
        <source>New shift</source>
        <translation>New shift</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;Starts</source>
        <translation>&amp;Starts</translation>
    </message>
    <message>
        <source>&amp;Ends</source>
        <translation>&amp;Ends</translation>
    </message>
    <message>
        <source>An end before the start crosses midnight (a night shift).</source>
        <translation>An end before the start crosses midnight (a night shift).</translation>
    </message>
    <message>
        <source>Starts on</source>
        <translation>Starts on</translation>
    </message>
    <message>
        <source>&amp;Grace for late arrival</source>
        <translation>&amp;Grace for late arrival</translation>
    </message>
    <message>
        <source>Grace for early &amp;leave</source>
        <translation>Grace for early &amp;leave</translation>
    </message>
    <message>
        <source>Write the shift&apos;s name.</source>
        <translation>Write the shift&apos;s name.</translation>
    </message>
    <message>
        <source>A shift cannot start and end at the same time.</source>
        <translation>A shift cannot start and end at the same time.</translation>
    </message>
    <message>
        <source>Tick at least one day.</source>
        <translation>Tick at least one day.</translation>
    </message>
</context>
<context>
    <name>ShiftStep</name>
    <message>
        <source>The first shift</source>
        <translation>The first shift</translation>
    </message>
    <message>
        <source>e.g. Warehouse mornings</source>
        <translation>e.g. Warehouse mornings</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;Starts</source>
        <translation>&amp;Starts</translation>
    </message>
    <message>
        <source>&amp;Ends</source>
        <translation>&amp;Ends</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>An end before the start crosses midnight (a night shift).</source>
        <translation>An end before the start crosses midnight (a night shift).</translation>
    </message>
    <message>
        <source>When people are expected, to tell who arrives late. The usual ones are there already ({names}); add yours, or skip this and do it later in Settings, Shifts.</source>
        <translation>When people are expected, to tell who arrives late. The usual ones are there already ({names}); add yours, or skip this and do it later in Settings, Shifts.</translation>
    </message>
    <message>
        <source>Write the shift&apos;s name, or press Skip.</source>
        <translation>Write the shift&apos;s name, or press Skip.</translation>
    </message>
    <message>
        <source>A shift cannot start and end at the same time.</source>
        <translation>A shift cannot start and end at the same time.</translation>
    </message>
    <message>
        <source>Tick at least one day.</source>
        <translation>Tick at least one day.</translation>
    </message>
</context>
<context>
    <name>ShiftsPage</name>
    <message>
        <source>A shift&apos;s start decides lateness (after its grace minutes); a shift that ends before it starts crosses midnight and belongs to the day it starts.</source>
        <translation>A shift&apos;s start decides lateness (after its grace minutes); a shift that ends before it starts crosses midnight and belongs to the day it starts.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>Starts</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Ends</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Days</translation>
    </message>
    <message>
        <source>Grace</source>
        <translation>Grace</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Employees</translation>
    </message>
    <message>
        <source>&amp;New shift…</source>
        <translation>&amp;New shift…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>Employees in this shift</source>
        <translation>Employees in this shift</translation>
    </message>
    <message>
        <source>Employee to assign</source>
        <translation>Employee to assign</translation>
    </message>
    <message>
        <source>&amp;Assign to this shift</source>
        <translation>&amp;Assign to this shift</translation>
    </message>
    <message>
        <source>&amp;Remove from this shift</source>
        <translation>&amp;Remove from this shift</translation>
    </message>
    <message>
        <source>Employees in the selected shift</source>
        <translation>Employees in the selected shift</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Shifts</translation>
    </message>
    <message>
        <source> (not in use)</source>
        <translation> (not in use)</translation>
    </message>
    <message>
        <source>every day</source>
        <translation>every day</translation>
    </message>
    <message>
        <source>Employees in {name}</source>
        <translation>Employees in {name}</translation>
    </message>
    <message>
        <source>Shift {name} saved.</source>
        <translation>Shift {name} saved.</translation>
    </message>
    <message>
        <source>{code} assigned to {name}.</source>
        <translation>{code} assigned to {name}.</translation>
    </message>
    <message>
        <source>{code} removed from {name}.</source>
        <translation>{code} removed from {name}.</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Settings (administrators) — F2</source>
        <translation>Settings (administrators) — F2</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>dddd, MMMM d</source>
        <translation>dddd, MMMM d</translation>
    </message>
    <message>
        <source>Recognition</source>
        <translation>Recognition</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Ready</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>On</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>attempt {n}</source>
        <translation>attempt {n}</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Reconnecting</translation>
    </message>
    <message>
        <source>Not configured</source>
        <translation>Not configured</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Up to date</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <source>{fps} frames/s</source>
        <translation>{fps} frames/s</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>No camera</translation>
    </message>
    <message>
        <source>local only</source>
        <translation>local only</translation>
    </message>
    <message>
        <source>last {time}</source>
        <translation>last {time}</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>never synced</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Central database</source>
        <translation>Central database</translation>
    </message>
    <message>
        <source>Records waiting</source>
        <translation>Records waiting</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <source>Last problem</source>
        <translation>Last problem</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Site</translation>
    </message>
    <message>
        <source>Central database address</source>
        <translation>Central database address</translation>
    </message>
    <message>
        <source>&amp;Save address</source>
        <translation>&amp;Save address</translation>
    </message>
    <message>
        <source>&amp;Remove address</source>
        <translation>&amp;Remove address</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Test connection</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>Sync &amp;now</translation>
    </message>
    <message>
        <source>Join a central database</source>
        <translation>Join a central database</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Server</translation>
    </message>
    <message>
        <source>Data&amp;base</source>
        <translation>Data&amp;base</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;User</translation>
    </message>
    <message>
        <source>Pass&amp;word</source>
        <translation>Pass&amp;word</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Encryption</translation>
    </message>
    <message>
        <source>Advanced settings ▸</source>
        <translation>Advanced settings ▸</translation>
    </message>
    <message>
        <source>Advanced: the address as a URL</source>
        <translation>Advanced: the address as a URL</translation>
    </message>
    <message>
        <source>New &amp;address</source>
        <translation>New &amp;address</translation>
    </message>
    <message>
        <source>For what the fields above cannot say, e.g. ?sslmode=verify-full&amp;sslrootcert=… When filled, it is saved instead of the fields.</source>
        <translation>For what the fields above cannot say, e.g. ?sslmode=verify-full&amp;sslrootcert=… When filled, it is saved instead of the fields.</translation>
    </message>
    <message>
        <source>e.g. db.example.com</source>
        <translation>e.g. db.example.com</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>unchanged when left empty</source>
        <translation>unchanged when left empty</translation>
    </message>
    <message>
        <source>Encrypt the connection (TLS)</source>
        <translation>Encrypt the connection (TLS)</translation>
    </message>
    <message>
        <source>Advanced settings ▾</source>
        <translation>Advanced settings ▾</translation>
    </message>
    <message>
        <source>Write the server&apos;s name or IP address.</source>
        <translation>Write the server&apos;s name or IP address.</translation>
    </message>
    <message>
        <source>The server is a name or an IP address, without spaces, /, ?, # or @.</source>
        <translation>The server is a name or an IP address, without spaces, /, ?, # or @.</translation>
    </message>
    <message>
        <source>The port is a number from 1 to 65535.</source>
        <translation>The port is a number from 1 to 65535.</translation>
    </message>
    <message>
        <source>Write the database&apos;s name.</source>
        <translation>Write the database&apos;s name.</translation>
    </message>
    <message>
        <source>Write the user name the kiosk connects as.</source>
        <translation>Write the user name the kiosk connects as.</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Save the central database&apos;s address first.</source>
        <translation>Save the central database&apos;s address first.</translation>
    </message>
    <message>
        <source>Start a sync now instead of waiting for the next one.</source>
        <translation>Start a sync now instead of waiting for the next one.</translation>
    </message>
    <message>
        <source>Sync started; the status above follows it.</source>
        <translation>Sync started; the status above follows it.</translation>
    </message>
    <message>
        <source>not configured</source>
        <translation>not configured</translation>
    </message>
    <message>
        <source>Not configured: records stay on this kiosk until an address is saved.</source>
        <translation>Not configured: records stay on this kiosk until an address is saved.</translation>
    </message>
    <message>
        <source>Configured</source>
        <translation>Configured</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>none: this kiosk works alone</source>
        <translation>none: this kiosk works alone</translation>
    </message>
    <message>
        <source>not known yet: the next sync asks the central database</source>
        <translation>not known yet: the next sync asks the central database</translation>
    </message>
    <message>
        <source>none: this kiosk receives every employee</source>
        <translation>none: this kiosk receives every employee</translation>
    </message>
    <message>
        <source>{name} ({code}), set in the central database: this kiosk receives only the site&apos;s employees ({count} here)</source>
        <translation>{name} ({code}), set in the central database: this kiosk receives only the site&apos;s employees ({count} here)</translation>
    </message>
    <message>
        <source>Write an address first.</source>
        <translation>Write an address first.</translation>
    </message>
    <message>
        <source>The address must start with postgresql://, e.g. {example}</source>
        <translation>The address must start with postgresql://, e.g. {example}</translation>
    </message>
    <message>
        <source>Connecting… (at most {s} s)</source>
        <translation>Connecting… (at most {s} s)</translation>
    </message>
    <message>
        <source>Connected: {version}</source>
        <translation>Connected: {version}</translation>
    </message>
    <message>
        <source>Could not connect. Check the address, the password and that the server accepts this kiosk; the details are below.</source>
        <translation>Could not connect. Check the address, the password and that the server accepts this kiosk; the details are below.</translation>
    </message>
</context>
<context>
    <name>ZoneStep</name>
    <message>
        <source>Time zone</source>
        <translation>Time zone</translation>
    </message>
    <message>
        <source>Every record is kept in this zone&apos;s local time. This computer says {zone}; type part of a city to find another.</source>
        <translation>Every record is kept in this zone&apos;s local time. This computer says {zone}; type part of a city to find another.</translation>
    </message>
    <message>
        <source>Search, e.g. Madrid, Bogota, Mexico City</source>
        <translation>Search, e.g. Madrid, Bogota, Mexico City</translation>
    </message>
    <message>
        <source>Search a time zone</source>
        <translation>Search a time zone</translation>
    </message>
    <message>
        <source>Time zones</source>
        <translation>Time zones</translation>
    </message>
    <message>
        <source>Chosen: {zone}</source>
        <translation>Chosen: {zone}</translation>
    </message>
    <message>
        <source>No zone chosen: pick one in the list.</source>
        <translation>No zone chosen: pick one in the list.</translation>
    </message>
    <message>
        <source>Choose a time zone in the list (type part of a city to find it).</source>
        <translation>Choose a time zone in the list (type part of a city to find it).</translation>
    </message>
</context>
</TS>
